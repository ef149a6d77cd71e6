package runtimetest

import (
	"net/http"
	"strconv"
	"time"
)

// InvokeOption shapes one invocation: its headers and the faults the server
// injects while serving it.
type InvokeOption func(*pending)

// WithRequestID sets Lambda-Runtime-Aws-Request-Id. Default: a fresh id in
// UUID form, unique within the server. Ids must be unique among the
// invocations in flight.
func WithRequestID(id string) InvokeOption {
	return WithHeader(headerRequestID, id)
}

// WithDeadline sets Lambda-Runtime-Deadline-Ms. Default: the server's
// function timeout ([WithFunctionTimeout], 30 s) after the event is handed
// over.
func WithDeadline(deadline time.Time) InvokeOption {
	return WithHeader(headerDeadlineMS, strconv.FormatInt(deadline.UnixMilli(), 10))
}

// WithTraceID sets Lambda-Runtime-Trace-Id, the X-Ray trace header.
// Default: none, as the emulator sends none.
func WithTraceID(header string) InvokeOption {
	return WithHeader("Lambda-Runtime-Trace-Id", header)
}

// WithFunctionARN sets Lambda-Runtime-Invoked-Function-Arn. Default:
// [DefaultFunctionARN].
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

// WithContentType sets the event's Content-Type. Default: application/json.
func WithContentType(ct string) InvokeOption {
	return WithHeader("Content-Type", ct)
}

// WithHeader sets any header of the event, including malformed values; an
// empty value removes the header (also the request id or the deadline, to
// test a runtime against an incomplete event).
func WithHeader(name, value string) InvokeOption {
	name = http.CanonicalHeaderKey(name)
	return func(p *pending) {
		if name == headerDeadlineMS {
			p.defaultDeadline = false
		}
		if value == "" {
			p.header.Del(name)
			return
		}
		p.header.Set(name, value)
	}
}

// WithPostStatus makes the server refuse the runtime's first post for this
// invocation with status and body instead of 202 Accepted (413 for a response
// too large, 500 for a broken Runtime API, 400 after a timeout …). As in the
// Runtime API, a refusal ends the invocation: a later post for it gets 400.
func WithPostStatus(status int, body string) InvokeOption {
	return func(p *pending) { p.postStatus, p.postBody = status, body }
}

// WithNextStatus makes the GET /next that would deliver this invocation
// answer status instead; the invocation is then consumed without reaching the
// runtime ([Result.Delivered] is false).
func WithNextStatus(status int) InvokeOption {
	return func(p *pending) { p.nextStatus = status }
}

// WithNextDelay delays the GET /next answer that delivers this invocation.
// The wait ends early, and the event goes back to the queue, when the runtime
// abandons its GET or the server closes; the delay applies to the first
// attempt only.
func WithNextDelay(d time.Duration) InvokeOption {
	return func(p *pending) { p.nextDelay = d }
}

// WithPostDelay delays the answer to the runtime's first post for this
// invocation. When the runtime abandons the post meanwhile (or the server
// closes), the invocation ends with that post's Status set to
// [StatusAbandoned].
func WithPostDelay(d time.Duration) InvokeOption {
	return func(p *pending) { p.postDelay = d }
}

// WithDroppedNext closes the connection instead of answering the GET /next
// that would deliver this invocation; the invocation is then delivered on the
// runtime's next GET.
func WithDroppedNext() InvokeOption {
	return func(p *pending) { p.dropNext = true }
}

// WithDroppedPost reads the runtime's first post for this invocation, then
// closes the connection without answering. The invocation ends with
// [Post.Dropped] set.
func WithDroppedPost() InvokeOption {
	return func(p *pending) { p.dropPost = true }
}

// ServerOption configures a [Server].
type ServerOption interface {
	apply(*serverConfig)
}

type serverOptionFunc func(*serverConfig)

func (f serverOptionFunc) apply(c *serverConfig) { f(c) }

type serverConfig struct {
	responseLimit int
	timeout       time.Duration
	record        bool
}

// Defaults of a [Server].
const (
	// DefaultResponseLimit is the largest buffered response the server
	// accepts, Lambda's 6 MB plus 100 bytes; a larger one is refused with
	// 413 as the Runtime API does.
	DefaultResponseLimit = 6*1024*1024 + 100
	// DefaultFunctionTimeout is the time between handing an event over and
	// its default deadline.
	DefaultFunctionTimeout = 30 * time.Second
	// DefaultFunctionARN is the Lambda-Runtime-Invoked-Function-Arn of every
	// event unless [WithFunctionARN] says otherwise.
	DefaultFunctionARN = "arn:aws:lambda:us-east-1:123456789012:function:test_function"
)

// WithResponseLimit sets the largest buffered (not streamed) response body
// the server accepts; a larger one gets 413 RequestEntityTooLarge. Default:
// [DefaultResponseLimit].
func WithResponseLimit(bytes int) ServerOption {
	return serverOptionFunc(func(c *serverConfig) { c.responseLimit = bytes })
}

// WithFunctionTimeout sets how far after delivery the default deadline of an
// event lies. Default: [DefaultFunctionTimeout].
func WithFunctionTimeout(d time.Duration) ServerOption {
	return serverOptionFunc(func(c *serverConfig) { c.timeout = d })
}

// WithoutRecord turns the record of requests ([Server.Requests]) off, for
// benchmarks that run millions of invocations. Results are still returned by
// [Server.Invoke]; init errors and extensions are still kept.
func WithoutRecord() ServerOption {
	return serverOptionFunc(func(c *serverConfig) { c.record = false })
}
