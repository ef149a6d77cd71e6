package envconfig

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrInvalidPairs is wrapped by every error of [Pairs].
var ErrInvalidPairs = errors.New(`invalid list, want "name=value,name=value"`)

// Pairs parses "name=value,name=value" with URL-encoded values, the format
// of OTEL_EXPORTER_OTLP_HEADERS; names and values are trimmed, empty items
// skipped, a later name replaces an earlier one. Empty input gives nil. The
// error names variable and wraps [ErrInvalidPairs].
func Pairs(variable, s string) (map[string]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]string{}
	n := 0
	for item := range strings.SplitSeq(s, ",") {
		n++
		if strings.TrimSpace(item) == "" {
			continue
		}
		name, value, ok := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			// The item is not quoted: a header list may hold a secret.
			return nil, fmt.Errorf("%s: item %d is not name=value: %w", variable, n, ErrInvalidPairs)
		}
		v, err := url.PathUnescape(strings.TrimSpace(value))
		if err != nil {
			return nil, fmt.Errorf("%s: value of %q: %w: %w", variable, name, ErrInvalidPairs, err)
		}
		out[name] = v
	}
	return out, nil
}
