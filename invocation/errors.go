package invocation

import (
	"errors"
	"strings"
)

// Sentinel errors returned, wrapped in a [*ParseError], by [ParseXRayHeader].
// Callers branch on them with errors.Is.
var (
	// ErrMalformedHeader reports a header that is not a ;-separated list of
	// key=value pairs, or that repeats Root, Parent or Sampled. Every
	// [*ParseError] matches it.
	ErrMalformedHeader = errors.New("malformed X-Ray trace header")
	// ErrMissingRoot reports a header without a Root key.
	ErrMissingRoot = errors.New("X-Ray trace header has no Root")
	// ErrInvalidRoot reports a Root that is not 1-{8 hex}-{24 hex} (lower
	// case) or that encodes the all-zero trace id.
	ErrInvalidRoot = errors.New("invalid X-Ray Root")
	// ErrInvalidParent reports a Parent that is not 16 lower-case hex digits
	// or that is all zeros.
	ErrInvalidParent = errors.New("invalid X-Ray Parent")
	// ErrInvalidSampled reports a Sampled value other than 0, 1 or ?.
	ErrInvalidSampled = errors.New("invalid X-Ray Sampled")
)

// ParseError describes why [ParseXRayHeader] rejected a header. It unwraps to one
// of the sentinel errors of this package and always matches
// [ErrMalformedHeader].
type ParseError struct {
	// Key is the offending key, empty when the header has no usable
	// structure.
	Key string
	// Value is the offending value or segment, truncated to 64 bytes.
	Value string
	// Err is the sentinel error: ErrMalformedHeader, ErrMissingRoot,
	// ErrInvalidRoot, ErrInvalidParent or ErrInvalidSampled.
	Err error
}

// Error implements error.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("invocation: ")
	b.WriteString(e.Err.Error())
	if e.Key != "" || e.Value != "" {
		b.WriteString(": ")
		if e.Key != "" {
			b.WriteString(e.Key)
			b.WriteString("=")
		}
		b.WriteString(`"` + e.Value + `"`)
	}
	return b.String()
}

// Unwrap returns the sentinel error and, unless it is already that,
// [ErrMalformedHeader].
func (e *ParseError) Unwrap() []error {
	if e.Err == ErrMalformedHeader {
		return []error{e.Err}
	}
	return []error{e.Err, ErrMalformedHeader}
}

func parseErr(key, value string, err error) error {
	const maxValue = 64
	if len(value) > maxValue {
		value = value[:maxValue] + "…"
	}
	return &ParseError{Key: key, Value: value, Err: err}
}
