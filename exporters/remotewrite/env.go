package remotewrite

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
)

// envConfig reads the LUMEN_REMOTE_WRITE_* variables and LUMEN_METRICS_INSTANCE.
func envConfig(getenv func(string) string) (config, error) {
	c := config{
		url:      getenv(EnvURL),
		job:      getenv(EnvJob),
		instance: getenv(EnvInstance),
		bearer:   getenv(EnvBearerToken),
	}
	if u, p := getenv(EnvUsername), getenv(EnvPassword); u != "" || p != "" {
		c.username, c.password, c.basicAuth = u, p, true
	}
	var err error
	if c.labels, err = parsePairs(EnvLabels, getenv(EnvLabels)); err != nil {
		return config{}, err
	}
	if c.headers, err = parsePairs(EnvHeaders, getenv(EnvHeaders)); err != nil {
		return config{}, err
	}
	return c, nil
}

// parsePairs parses "name=value,name=value" with URL-encoded values, the
// format of OTEL_EXPORTER_OTLP_HEADERS. Empty input gives nil.
func parsePairs(variable, s string) (map[string]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]string{}
	for item := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		name, value, ok := strings.Cut(item, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("%w: %s: %q is not name=value", ErrInvalidConfig, variable, item)
		}
		v, err := url.PathUnescape(strings.TrimSpace(value))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: value of %q: %w", ErrInvalidConfig, variable, name, err)
		}
		out[name] = v
	}
	return out, nil
}

// validate reports the first configuration error.
func (c config) validate() error {
	if c.url == "" {
		return fmt.Errorf("%w: no remote write URL (set %s or use WithURL)", ErrInvalidConfig, EnvURL)
	}
	u, err := url.Parse(c.url)
	if err != nil {
		return fmt.Errorf("%w: remote write URL: %w", ErrInvalidConfig, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: remote write URL %q: want http(s)://host[:port]/path", ErrInvalidConfig, c.url)
	}
	for name, value := range c.labels {
		switch {
		case name == "job" || name == "instance":
			return fmt.Errorf("%w: label %q: use WithJob or WithInstance", ErrInvalidConfig, name)
		case !validLabelName(name) || strings.HasPrefix(name, "__"):
			return fmt.Errorf("%w: label name %q", ErrInvalidConfig, name)
		case value == "":
			return fmt.Errorf("%w: label %q has an empty value", ErrInvalidConfig, name)
		}
	}
	if c.retries < 1 || c.minBackoff <= 0 || c.maxBackoff < c.minBackoff {
		return fmt.Errorf("%w: retries %d, backoff %s..%s: want at least 1 retry and 0 < min <= max",
			ErrInvalidConfig, c.retries, c.minBackoff, c.maxBackoff)
	}
	return nil
}

// validLabelName reports whether s matches [a-zA-Z_][a-zA-Z0-9_]*.
func validLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// environmentID derives the execution environment's id from Lambda's
// variables: the part of AWS_LAMBDA_LOG_STREAM_NAME after its last "]", or
// the whole name when that part is empty. It returns "" when the id must be
// drawn at random: outside Lambda, and under SnapStart, where restored copies
// share the variables captured at init.
func environmentID(getenv func(string) string) string {
	if getenv("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start" {
		return ""
	}
	stream := getenv("AWS_LAMBDA_LOG_STREAM_NAME")
	if i := strings.LastIndexByte(stream, ']'); i >= 0 && i+1 < len(stream) {
		return stream[i+1:]
	}
	return stream
}

// randomID returns 16 random hex digits.
func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	return hex.EncodeToString(b[:])
}
