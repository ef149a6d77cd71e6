package otlp

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
)

// Limits of what is read from a response.
const (
	maxResponse = 64 << 10 // bytes decoded
	maxDrain    = 4 << 10  // further bytes read so the connection can be reused
	maxMessage  = 256      // characters of a backend's message in an error
)

// userAgent identifies the exporter to the backend.
const userAgent = "lumen-otlp"

// sender posts the requests of one signal. Its methods are called by the
// holder of the exporter's turn only.
type sender struct {
	signal  string
	name    string
	client  *http.Client
	tmpl    *http.Request
	timeout time.Duration
	drops   exporters.DropCounter

	gzip  *gzip.Writer // nil without compression
	zbuf  bytes.Buffer // the compressed body
	resp  bytes.Buffer // the response body
	limit io.LimitedReader
}

// newSender builds the sender of signal, posting to the path of that
// signal under the configured endpoint.
func newSender(c *config, signal, path string) (*sender, error) {
	u, err := c.url(path)
	if err != nil {
		return nil, err
	}
	h := make(http.Header, len(c.headers)+3)
	for k, v := range c.headers {
		h.Set(k, v)
	}
	h.Set("Content-Type", "application/x-protobuf")
	h.Set("User-Agent", userAgent)
	s := &sender{signal: signal, name: c.name, client: c.httpClient(), timeout: c.timeout, drops: c.drops}
	switch c.compression {
	case CompressionNone, "":
		h.Del("Content-Encoding")
	case CompressionGzip:
		h.Set("Content-Encoding", "gzip")
		s.gzip, _ = gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	default:
		return nil, fmt.Errorf("%w: compression %q, want gzip or none", ErrInvalidConfig, c.compression)
	}
	s.tmpl = &http.Request{
		Method: http.MethodPost, URL: u, Host: u.Host, Header: h,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
	return s, nil
}

// send posts body, an encoded request of items items, and returns nil or
// an *[ExportError]. body may be written again as soon as it returns.
//
// The transport gets its own copy of the body, in a reader net/http knows
// to be in memory: it then writes the headers and the body in one write
// (before any other body it flushes the headers alone, one more syscall and
// TCP segment per request), and it may read the body after Do returns (when
// ctx ended first) without racing the exporter's next encoding.
func (s *sender) send(ctx context.Context, body []byte, items int) error {
	if s.timeout > 0 {
		if d, ok := ctx.Deadline(); !ok || time.Until(d) > s.timeout {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, s.timeout)
			defer cancel()
		}
	}
	out := body
	if s.gzip != nil {
		var err error
		if out, err = s.compress(body); err != nil {
			return &ExportError{Signal: s.signal, Items: items, Err: err}
		}
	}
	req := s.tmpl.WithContext(ctx)
	req.Body, req.GetBody, req.ContentLength = newBody(bytes.Clone(out))
	resp, err := s.client.Do(req)
	if err != nil {
		return &ExportError{Signal: s.signal, Items: items, Err: err}
	}
	return s.answer(resp, items)
}

// newBody returns a request's Body, GetBody and ContentLength for b.
func newBody(b []byte) (io.ReadCloser, func() (io.ReadCloser, error), int64) {
	get := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	first, _ := get()
	return first, get, int64(len(b))
}

// compress gzips body into s.zbuf.
func (s *sender) compress(body []byte) ([]byte, error) {
	s.zbuf.Reset()
	s.gzip.Reset(&s.zbuf)
	if _, err := s.gzip.Write(body); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := s.gzip.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return s.zbuf.Bytes(), nil
}

// answer reads resp and returns nil for a full success, or the
// *ExportError that describes the answer.
func (s *sender) answer(resp *http.Response, items int) error {
	defer func() {
		s.limit = io.LimitedReader{R: resp.Body, N: maxDrain}
		_, _ = io.Copy(io.Discard, &s.limit)
		_ = resp.Body.Close()
		s.limit.R = nil
	}()
	s.resp.Reset()
	s.limit = io.LimitedReader{R: resp.Body, N: maxResponse}
	_, readErr := s.resp.ReadFrom(&s.limit)
	body := s.resp.Bytes()
	fail := func(err error) *ExportError {
		return &ExportError{Signal: s.signal, StatusCode: resp.StatusCode, Items: items, Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if readErr != nil {
			return fail(fmt.Errorf("%w: %w", ErrMalformedResponse, readErr))
		}
		rejected, msg, err := otlpwire.PartialSuccess(body)
		switch {
		case err != nil:
			return fail(fmt.Errorf("%w (%s): %w", ErrMalformedResponse, resp.Header.Get("Content-Type"), err))
		case rejected > 0:
			e := fail(fmt.Errorf("%w: %s", ErrRejected, clip(msg)))
			e.Items = int(min(rejected, int64(items)))
			return e
		}
		return nil
	}
	e := fail(fmt.Errorf("%w %s: %s", ErrStatus, resp.Status, statusMessage(resp.Header.Get("Content-Type"), body)))
	if retryable(resp.StatusCode) {
		e.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return e
}

// statusMessage returns the message of an error answer's body: a
// google.rpc.Status message when the body is protobuf, else the text.
func statusMessage(contentType string, body []byte) string {
	if strings.HasPrefix(contentType, "application/x-protobuf") {
		if msg, err := otlpwire.StatusMessage(body); err == nil {
			return clip(msg)
		}
	}
	return clip(string(body))
}

// clip shortens s to maxMessage characters on one line.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxMessage {
		s = s[:maxMessage] + "…"
	}
	if s == "" {
		return "(no message)"
	}
	return s
}

// countFailure reports a failed export of items items to the DropCounter;
// items may be 0 when nothing was lost (log records kept for the next
// flush).
func (s *sender) countFailure(items int) {
	if s.drops == nil {
		return
	}
	if items > 0 {
		exporters.CountFailure(s.drops, s.name, s.signal, items)
		return
	}
	if f, ok := s.drops.(exporters.ExportFailureCounter); ok {
		f.ExportFailed(s.name, s.signal)
	}
}

// dropped reports items lost without an export attempt (over a bound,
// after Shutdown).
func (s *sender) dropped(items int) {
	if s.drops != nil && items > 0 {
		s.drops.Dropped(s.name, s.signal, items)
	}
}

// asExportError returns err as an *ExportError, if it is one.
func asExportError(err error) (*ExportError, bool) {
	var e *ExportError
	ok := errors.As(err, &e)
	return e, ok
}
