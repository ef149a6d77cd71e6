package logging

import (
	"fmt"
	"strings"
)

// Format is the encoding of a log line.
type Format int

const (
	// FormatText writes logfmt-style key=value lines (slog.TextHandler), Lambda's
	// default when AWS_LAMBDA_LOG_FORMAT is unset.
	FormatText Format = iota
	// FormatJSON writes one JSON object per line (slog.JSONHandler), which
	// Lambda's advanced logging controls filter by its "level" key.
	FormatJSON
)

// String returns "Text" or "JSON", the spelling of AWS_LAMBDA_LOG_FORMAT.
func (f Format) String() string {
	switch f {
	case FormatText:
		return "Text"
	case FormatJSON:
		return "JSON"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat parses AWS_LAMBDA_LOG_FORMAT's values, "JSON" or "Text",
// case-insensitively.
func ParseFormat(s string) (Format, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "JSON":
		return FormatJSON, nil
	case "TEXT":
		return FormatText, nil
	}
	return 0, fmt.Errorf("logging: unknown format %q (want JSON or Text)", s)
}
