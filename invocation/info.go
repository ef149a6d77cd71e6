package invocation

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Info describes one invocation. The runtime builds it from the headers of
// GET /runtime/invocation/next; it is read-only once stored in a context.
type Info struct {
	// Lambda is the aws-lambda-go view of the invocation: request id, invoked
	// ARN, Cognito identity, client context and tenant id. The runtime stores
	// a pointer to this same value for lambdacontext.FromContext.
	Lambda lambdacontext.LambdaContext
	// TraceHeader is the raw Lambda-Runtime-Trace-Id header
	// (Root=…;Parent=…;Sampled=…), empty when Lambda sent none.
	TraceHeader string
	// XRay is TraceHeader parsed, once, by the runtime: the zero value when
	// the header is absent or malformed.
	XRay XRayHeader
	// Trigger is the faas.trigger inferred from the event ([Classify]).
	Trigger Trigger
	// Source is the AWS service the event came from, when recognised.
	Source Source
	// Deadline is when Lambda stops the invocation.
	Deadline time.Time
	// ColdStart is true for the first invocation of an on-demand execution
	// environment.
	ColdStart bool
	// ContentType is the event's content type as Lambda sent it.
	ContentType string
}

// RequestID returns the AWS request id of the invocation.
func (i *Info) RequestID() string { return i.Lambda.AwsRequestID }

// InvokedFunctionARN returns the ARN the caller invoked, with its alias or
// version qualifier if any.
func (i *Info) InvokedFunctionARN() string { return i.Lambda.InvokedFunctionArn }

type key struct{}

// NewContext returns a copy of parent that carries info.
func NewContext(parent context.Context, info *Info) context.Context {
	return context.WithValue(parent, key{}, info)
}

// FromContext returns the Info stored in ctx by the runtime, if any.
func FromContext(ctx context.Context) (*Info, bool) {
	info, ok := ctx.Value(key{}).(*Info)
	return info, ok
}

// lambdaTraceKey is the context key aws-lambda-go stores the raw trace
// header under: a plain string there, so a plain string here.
const lambdaTraceKey = "x-amzn-trace-id"

// XRayFromContext returns the X-Ray trace header of the invocation ctx
// belongs to: the one the runtime parsed into the [Info] in ctx, or, for
// handlers run by aws-lambda-go or its tests, aws-lambda-go's
// "x-amzn-trace-id" value parsed now (as is the TraceHeader of an Info built
// by hand). It reports false when ctx holds no valid header.
func XRayFromContext(ctx context.Context) (XRayHeader, bool) {
	var raw string
	if info, ok := FromContext(ctx); ok && info != nil {
		if info.XRay.Root != "" || info.TraceHeader == "" {
			return info.XRay, info.XRay.Root != ""
		}
		raw = info.TraceHeader // an Info built by hand, not by the runtime
	} else {
		raw, _ = ctx.Value(lambdaTraceKey).(string)
	}
	if raw == "" {
		return XRayHeader{}, false
	}
	h, err := ParseXRayHeader(raw)
	return h, err == nil
}
