package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	goruntime "runtime"
	"strings"
)

const (
	runtimeAPIVersion = "2018-06-01"
	contentTypeError  = "application/vnd.aws.lambda.error+json"
)

var userAgent = "lumen/" + goruntime.Version()

// client speaks the Runtime API. One client is shared by every worker.
type client struct {
	http        *http.Client
	nextURL     string
	invokeURL   string // …/runtime/invocation/, followed by id + "/response"
	initErrURL  string
	extensionAt string
}

func newClient(address string, hc *http.Client) *client {
	base := "http://" + address + "/" + runtimeAPIVersion + "/runtime/"
	return &client{
		http:        hc,
		nextURL:     base + "invocation/next",
		invokeURL:   base + "invocation/",
		initErrURL:  base + "init/error",
		extensionAt: "http://" + address + "/2020-01-01/extension/",
	}
}

// APIError is a Runtime API answer other than the one the protocol expects.
// Callers branch on StatusCode: 413 means the response was too large, 500
// means Lambda wants the runtime to exit promptly.
type APIError struct {
	Method     string
	URL        string
	StatusCode int
	// Type and Message come from the Runtime API's error body, if any.
	Type    string
	Message string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("runtime API %s %s: status %d", e.Method, e.URL, e.StatusCode)
	if e.Type != "" || e.Message != "" {
		s += fmt.Sprintf(" (%s: %s)", e.Type, e.Message)
	}
	return s
}

// Fatal reports whether the Runtime API asked the runtime to exit (500) or
// the answer leaves the protocol in an unknown state.
func (e *APIError) Fatal() bool { return e.StatusCode >= 500 }

func readAPIError(req *http.Request, resp *http.Response) *APIError {
	e := &APIError{Method: req.Method, URL: req.URL.Path, StatusCode: resp.StatusCode}
	var body struct {
		Type    string `json:"errorType"`
		Message string `json:"errorMessage"`
	}
	if b, err := io.ReadAll(io.LimitReader(resp.Body, 4096)); err == nil && json.Unmarshal(b, &body) == nil {
		e.Type, e.Message = body.Type, body.Message
	}
	return e
}

// invoke is one event received from GET /next.
type invoke struct {
	id      string
	header  http.Header
	payload *bytes.Buffer // pooled; released after the post
}

// next blocks until Lambda hands over an event. No timeout: the process may
// be frozen here for hours.
func (c *client) next(ctx context.Context) (*invoke, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.nextURL, nil)
	if err != nil {
		return nil, fmt.Errorf("runtime API: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("runtime API GET next: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, readAPIError(req, resp)
	}
	buf := getBuffer()
	if resp.ContentLength > 0 && resp.ContentLength < 1<<30 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		putBuffer(buf)
		return nil, fmt.Errorf("runtime API GET next: reading the event: %w", err)
	}
	return &invoke{id: resp.Header.Get(headerRequestID), header: resp.Header, payload: buf}, nil
}

// post sends a body and expects 202 Accepted.
func (c *client) post(req *http.Request) error {
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("runtime API POST %s: %w", req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return readAPIError(req, resp)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	return nil
}

func (c *client) postResponse(id string, body []byte, contentType string) error {
	req, err := http.NewRequest(http.MethodPost, c.invokeURL+id+"/response", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("runtime API: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.post(req)
}

// postError reports a failed invocation, or a failed init when id is empty.
func (c *client) postError(id string, f *failure) error {
	url := c.initErrURL
	if id != "" {
		url = c.invokeURL + id + "/error"
	}
	body, err := json.Marshal(&f.doc)
	if err != nil {
		body, _ = json.Marshal(&ErrorDocument{Type: "Runtime.SerializationError", Message: err.Error()})
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("runtime API: %w", err)
	}
	req.Header.Set("Content-Type", contentTypeError)
	req.Header.Set(headerErrorType, f.headerType)
	if cause := xrayCauseHeader(&f.doc); cause != "" {
		req.Header.Set(headerXRayErrorCause, sanitizeHeaderValue(cause))
	}
	return c.post(req)
}

// sanitizeHeaderValue replaces the control characters an HTTP header value
// cannot hold (JSON leaves DEL unescaped) with spaces.
func sanitizeHeaderValue(s string) string {
	if !strings.ContainsFunc(s, invalidHeaderRune) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invalidHeaderRune(r) {
			return ' '
		}
		return r
	}, s)
}

func invalidHeaderRune(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }
