package runtimetest

import (
	"net/http"
	"strconv"
	"time"
)

// InvokeOption shapes one invocation: its headers and the faults the server
// injects while serving it.
type InvokeOption func(*pending)

// WithRequestID sets Lambda-Runtime-Aws-Request-Id. Default: a fresh id.
func WithRequestID(id string) InvokeOption {
	return func(p *pending) { p.id = id; p.header.Set("Lambda-Runtime-Aws-Request-Id", id) }
}

// WithDeadline sets Lambda-Runtime-Deadline-Ms. Default: 30 s after the
// event is handed over.
func WithDeadline(deadline time.Time) InvokeOption {
	return WithHeader("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(deadline.UnixMilli(), 10))
}

// WithTraceID sets Lambda-Runtime-Trace-Id, the X-Ray trace header.
func WithTraceID(header string) InvokeOption {
	return WithHeader("Lambda-Runtime-Trace-Id", header)
}

// WithFunctionARN sets Lambda-Runtime-Invoked-Function-Arn.
func WithFunctionARN(arn string) InvokeOption {
	return WithHeader("Lambda-Runtime-Invoked-Function-Arn", arn)
}

// WithClientContext sets Lambda-Runtime-Client-Context (JSON).
func WithClientContext(json string) InvokeOption {
	return WithHeader("Lambda-Runtime-Client-Context", json)
}

// WithCognitoIdentity sets Lambda-Runtime-Cognito-Identity (JSON).
func WithCognitoIdentity(json string) InvokeOption {
	return WithHeader("Lambda-Runtime-Cognito-Identity", json)
}

// WithTenantID sets Lambda-Runtime-Aws-Tenant-Id.
func WithTenantID(id string) InvokeOption {
	return WithHeader("Lambda-Runtime-Aws-Tenant-Id", id)
}

// WithHeader sets any header of the event, including malformed values; an
// empty value removes the header.
func WithHeader(name, value string) InvokeOption {
	return func(p *pending) {
		if value == "" {
			p.header.Del(name)
			return
		}
		p.header.Set(name, value)
	}
}

// WithPostStatus makes the server refuse the runtime's first post for this
// invocation with status and body instead of 202 Accepted (413 for a response
// too large, 500 for a broken Runtime API, 400 after a timeout …). Later
// posts are accepted.
func WithPostStatus(status int, body string) InvokeOption {
	return func(p *pending) { p.postStatus, p.postBody = status, body }
}

// WithNextStatus makes the GET /next that would deliver this invocation
// answer status instead; the invocation is then consumed without reaching the
// runtime.
func WithNextStatus(status int) InvokeOption {
	return func(p *pending) { p.nextStatus = status }
}

// WithNextDelay delays the GET /next answer that delivers this invocation.
func WithNextDelay(d time.Duration) InvokeOption {
	return func(p *pending) { p.nextDelay = d }
}

// WithPostDelay delays the answer to the runtime's post for this invocation.
func WithPostDelay(d time.Duration) InvokeOption {
	return func(p *pending) { p.postDelay = d }
}

// WithDroppedNext closes the connection instead of answering the GET /next
// that would deliver this invocation; the invocation is then delivered on the
// runtime's next GET.
func WithDroppedNext() InvokeOption {
	return func(p *pending) { p.dropNext = true }
}

// WithDroppedPost closes the connection instead of answering the runtime's
// first post for this invocation.
func WithDroppedPost() InvokeOption {
	return func(p *pending) { p.dropPost = true }
}

// WithContentType sets the event's Content-Type. Default: application/json.
func WithContentType(ct string) InvokeOption {
	return WithHeader("Content-Type", ct)
}

var _ = http.StatusAccepted
