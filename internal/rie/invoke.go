package rie

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Headers an invoker sends or reads.
const (
	// HeaderTraceID carries the caller's X-Ray trace header. Classic mode
	// drops it; ManagedInstances mode passes it to the runtime as
	// Lambda-Runtime-Trace-Id.
	HeaderTraceID = "X-Amzn-Trace-Id"
	// HeaderClientContext carries base64 JSON client context; both modes
	// decode it and pass it to the runtime as Lambda-Runtime-Client-Context.
	HeaderClientContext = "X-Amz-Client-Context"
	// HeaderErrorType is how ManagedInstances mode marks a failed invocation:
	// the runtime's Lambda-Runtime-Function-Error-Type, or Runtime.Unknown.
	HeaderErrorType = "Error-Type"
	// HeaderFunctionError is how Lambda marks a failed invocation. Neither
	// emulator mode sends it.
	HeaderFunctionError = "X-Amz-Function-Error"
)

// ErrorTypeUnavailable is the error ManagedInstances mode answers, with HTTP
// 400, when no runtime worker waits in GET /next.
const ErrorTypeUnavailable = "Runtime.Unavailable"

// Response is the emulator's answer to one invoke.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Attempts counts the requests sent: more than one when ManagedInstances
	// mode answered Runtime.Unavailable and the invoke was re-sent.
	Attempts int
}

// FunctionError returns how the answer marks a failed invocation: the
// X-Amz-Function-Error header Lambda sends, else the Error-Type header
// ManagedInstances mode sends, else "".
func (r *Response) FunctionError() string {
	if v := r.Header.Get(HeaderFunctionError); v != "" {
		return v
	}
	return r.Header.Get(HeaderErrorType)
}

// ErrorDocument is the body of a failed invocation as Lambda runtimes write
// it.
type ErrorDocument struct {
	Message    string       `json:"errorMessage"`
	Type       string       `json:"errorType"`
	StackTrace []StackFrame `json:"stackTrace,omitempty"`
}

// StackFrame is one frame of an [ErrorDocument]'s stack trace.
type StackFrame struct {
	Path  string `json:"path"`
	Line  int    `json:"line"`
	Label string `json:"label"`
}

// ErrorDocument decodes the body as an error document. It fails when the
// body is not JSON or has no errorType.
func (r *Response) ErrorDocument() (*ErrorDocument, error) {
	var doc ErrorDocument
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		return nil, fmt.Errorf("rie: body is not an error document: %w: %.200q", err, r.Body)
	}
	if doc.Type == "" {
		return nil, fmt.Errorf("rie: body has no errorType: %.200q", r.Body)
	}
	return &doc, nil
}

// EncodeClientContext returns the X-Amz-Client-Context value for cc: its
// JSON, base64-encoded.
func EncodeClientContext(cc any) (string, error) {
	b, err := json.Marshal(cc)
	if err != nil {
		return "", fmt.Errorf("rie: client context: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// Retry pacing for Runtime.Unavailable: the worker is about to park in GET
// /next, so the first re-sends come quickly.
const (
	retryFirst = time.Millisecond
	retryMax   = 50 * time.Millisecond
)

// Invoke sends payload to the function as a synchronous invoke with header
// (Content-Type defaults to application/json) and returns the answer,
// whatever its status. In Classic mode invokes are serialised, because the
// emulator crashes on overlapping ones. In ManagedInstances mode a 400
// Runtime.Unavailable is re-sent until a worker takes it or ctx ends.
func (e *Emulator) Invoke(ctx context.Context, payload []byte, header http.Header) (*Response, error) {
	if e.mode == Classic {
		e.serial.Lock()
		defer e.serial.Unlock()
	}
	wait := retryFirst
	for attempt := 1; ; attempt++ {
		resp, err := e.send(ctx, payload, header)
		if err != nil {
			return nil, err
		}
		resp.Attempts = attempt
		if e.mode != ManagedInstances || !unavailable(resp) {
			return resp, nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("rie: invoke: no runtime worker took it after %d attempts: %w", attempt, ctx.Err())
		case <-e.exited:
			timer.Stop()
			return nil, fmt.Errorf("rie: invoke: the emulator exited after %d attempts", attempt)
		case <-timer.C:
		}
		wait = min(2*wait, retryMax)
	}
}

// InvokeJSON marshals event and invokes with it.
func (e *Emulator) InvokeJSON(ctx context.Context, event any, header http.Header) (*Response, error) {
	b, err := json.Marshal(event)
	if err != nil {
		return nil, fmt.Errorf("rie: event: %w", err)
	}
	return e.Invoke(ctx, b, header)
}

func (e *Emulator) send(ctx context.Context, payload []byte, header http.Header) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL(), bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("rie: invoke: %w", err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("rie: invoke: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("rie: invoke: reading the answer: %w", err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// unavailable reports ManagedInstances mode's "no worker parked" answer.
func unavailable(r *Response) bool {
	if r.Status != http.StatusBadRequest {
		return false
	}
	if r.Header.Get(HeaderErrorType) == ErrorTypeUnavailable {
		return true
	}
	var doc struct {
		Type string `json:"errorType"`
	}
	return json.Unmarshal(r.Body, &doc) == nil && doc.Type == ErrorTypeUnavailable
}
