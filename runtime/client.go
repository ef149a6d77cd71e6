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
	"time"

	"github.com/lumen-rt/lumen/invocation"
)

const (
	runtimeAPIVersion = "2018-06-01"
	contentTypeError  = "application/vnd.aws.lambda.error+json"
)

var userAgent = "lumen/" + goruntime.Version()

// client speaks the Runtime API. One client is shared by every worker.
type client struct {
	http        *http.Client
	nextReq     *http.Request // GET /next, copied with each call's context
	nextURL     string
	invokeURL   string // …/runtime/invocation/, followed by id + "/response"
	initErrURL  string
	extensionAt string
}

func newClient(address string, hc *http.Client) *client {
	base := "http://" + address + "/" + runtimeAPIVersion + "/runtime/"
	c := &client{
		http:        hc,
		nextURL:     base + "invocation/next",
		invokeURL:   base + "invocation/",
		initErrURL:  base + "init/error",
		extensionAt: "http://" + address + "/2020-01-01/extension/",
	}
	// An invalid address fails here and again, reported, on the first GET.
	if req, err := http.NewRequest(http.MethodGet, c.nextURL, nil); err == nil {
		req.Header[headerUserAgent] = userAgentValue
		c.nextReq = req
	}
	return c
}

// Header values shared by every request: the transport only reads them.
const headerUserAgent = "User-Agent"

var (
	userAgentValue        = []string{userAgent}
	contentTypeJSONValue  = []string{contentTypeJSON}
	contentTypeBytesValue = []string{contentTypeBytes}
	contentTypeErrorValue = []string{contentTypeError}
)

// setContentType sets Content-Type, without allocating for the usual ones.
func setContentType(h http.Header, ct string) {
	switch ct {
	case contentTypeJSON:
		h["Content-Type"] = contentTypeJSONValue
	case contentTypeBytes:
		h["Content-Type"] = contentTypeBytesValue
	case contentTypeError:
		h["Content-Type"] = contentTypeErrorValue
	default:
		h.Set("Content-Type", ct)
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
	info    invocation.Info
	// arrived is when the GET /next answer's headers arrived, received when
	// its body was read: the receive phase, never the wait before it.
	arrived, received time.Time
	obs               observation
}

// next blocks until Lambda hands over an event. No timeout: the process may
// be frozen here for hours.
func (c *client) next(ctx context.Context) (*invoke, error) {
	if c.nextReq == nil {
		_, err := http.NewRequest(http.MethodGet, c.nextURL, nil)
		return nil, fmt.Errorf("runtime API: %w", err)
	}
	req := c.nextReq.WithContext(ctx)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("runtime API GET next: %w", err)
	}
	arrived := time.Now()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, readAPIError(req, resp)
	}
	buf := getBuffer()
	if resp.ContentLength > 0 && resp.ContentLength < 1<<30 {
		// ReadFrom wants MinRead bytes free before it sees EOF: without
		// them a full buffer would be reallocated at twice its size.
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		putBuffer(buf)
		return nil, fmt.Errorf("runtime API GET next: reading the event: %w", err)
	}
	return &invoke{id: resp.Header.Get(headerRequestID), header: resp.Header, payload: buf, arrived: arrived, received: time.Now()}, nil
}

// post sends a body and expects 202 Accepted.
func (c *client) post(req *http.Request) error {
	req.Header[headerUserAgent] = userAgentValue
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("runtime API POST %s: %w", req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return readAPIError(req, resp)
	}
	// Drain the short answer so that the connection is reused.
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

func (c *client) postResponse(id string, body []byte, contentType string) error {
	req, err := http.NewRequest(http.MethodPost, c.invokeURL+id+"/response", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("runtime API: %w", err)
	}
	setContentType(req.Header, contentType)
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
	setContentType(req.Header, contentTypeError)
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
