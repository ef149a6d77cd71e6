package otlp

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors, wrapped by an [*ExportError] (errors.Is finds them).
var (
	// ErrShutdown is returned by ExportSpans after Shutdown.
	ErrShutdown = errors.New("otlp: exporter is shut down")
	// ErrRejected reports a partial success: the backend accepted the
	// request but rejected some of its items.
	ErrRejected = errors.New("items rejected by the backend")
	// ErrMalformedResponse reports a successful status with a body that is
	// not an OTLP response: the endpoint is probably not an OTLP receiver.
	ErrMalformedResponse = errors.New("response is not an OTLP export response")
	// ErrStatus reports a status other than 2xx.
	ErrStatus = errors.New("unexpected HTTP status")
)

// ExportError is the error of a failed export request. The runtime's flush
// point reads it to back off: [ExportError.Retryable] and
// [ExportError.RetryAfter] say whether and when to try again; this package
// never retries by itself.
type ExportError struct {
	// Signal is "traces", "metrics" or "logs".
	Signal string
	// StatusCode is the HTTP status, 0 when no response arrived (refused,
	// timed out, cancelled).
	StatusCode int
	// Items is the number of items (spans, data points, log records) in
	// the request, or, for a partial success, the number rejected.
	Items int
	// Err is the cause: a transport error, [ErrStatus], [ErrRejected] or
	// [ErrMalformedResponse], with the backend's message.
	Err error

	// retryAfter is the delay of the answer's Retry-After header.
	retryAfter time.Duration
}

// RetryAfter returns the delay the backend asked for in the Retry-After
// header (seconds or an HTTP date) of a retryable answer, 0 when it gave
// none. The runtime's flush point waits at least that long before trying
// the exporter again.
func (e *ExportError) RetryAfter() time.Duration { return e.retryAfter }

func (e *ExportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "otlp: export %d %s items", e.Items, e.Signal)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
	}
	if e.retryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.retryAfter)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *ExportError) Unwrap() error { return e.Err }

// Retryable reports whether the same request may succeed later, as the
// OTLP/HTTP specification says: a 429, 502, 503 or 504 answer, or no answer
// at all (refused, timed out). A 400 and other answers are not: the data
// was dropped.
func (e *ExportError) Retryable() bool {
	return e.StatusCode == 0 || retryable(e.StatusCode)
}

// partial reports whether e is a partial success: the request was
// delivered, only e.Items of its items were rejected.
func (e *ExportError) partial() bool { return errors.Is(e.Err, ErrRejected) }

// retryable reports whether the status code is one the specification says
// to retry.
func retryable(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// parseRetryAfter parses a Retry-After value: delay seconds or an HTTP date,
// relative to now. It returns 0 for an absent, malformed or past value.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(min(s, int64(24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now))
	}
	return 0
}

// The runtime's flush point reads the delay through this method.
var _ interface{ RetryAfter() time.Duration } = (*ExportError)(nil)
