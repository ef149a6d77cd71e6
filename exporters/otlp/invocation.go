package otlp

import (
	"context"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// The semantic-convention attributes a log record gets from the
// invocation.
const (
	keyInvocationID = "faas.invocation_id"
	keyColdStart    = "faas.coldstart"
	keyInvokedARN   = "aws.lambda.invoked_arn"
)

// invocationAttrs are the attributes a record gets from the invocation in
// its context.
type invocationAttrs struct {
	requestID, arn string
	coldStart      bool
	hasInfo        bool
}

// correlate sets the trace context of rec from ctx: the span's, else the
// trace id of the invocation's X-Ray header. It returns the invocation's
// attributes.
func correlate(ctx context.Context, rec *otlpwire.LogRecord) invocationAttrs {
	var attrs invocationAttrs
	info, _ := invocation.FromContext(ctx)
	if info != nil {
		attrs = invocationAttrs{requestID: info.RequestID(), arn: info.InvokedFunctionARN(), coldStart: info.ColdStart, hasInfo: true}
	} else if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
		attrs = invocationAttrs{requestID: lc.AwsRequestID, arn: lc.InvokedFunctionArn}
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		rec.TraceID, rec.SpanID, rec.Flags = sc.TraceID(), sc.SpanID(), uint32(sc.TraceFlags())
		return attrs
	}
	if info != nil && info.TraceHeader != "" {
		if id, ok := xrayTraceID(info.TraceHeader); ok {
			rec.TraceID = id
		}
	}
	return attrs
}

// append appends the attributes to a LogRecord.
func (a *invocationAttrs) append(b []byte) []byte {
	if a.requestID != "" {
		b = otlpwire.AppendStringAttribute(b, otlpwire.LogAttributes, keyInvocationID, a.requestID)
	}
	if a.hasInfo {
		b = otlpwire.AppendBoolAttribute(b, otlpwire.LogAttributes, keyColdStart, a.coldStart)
	}
	if a.arn != "" {
		b = otlpwire.AppendStringAttribute(b, otlpwire.LogAttributes, keyInvokedARN, a.arn)
	}
	return b
}

// lastHeader caches the trace id of the last X-Ray header seen: the
// records of one invocation share it.
var lastHeader atomic.Pointer[parsedHeader]

type parsedHeader struct {
	header string
	id     trace.TraceID
	ok     bool
}

// xrayTraceID returns the OpenTelemetry trace id of the Root of an X-Ray
// trace header.
func xrayTraceID(header string) (trace.TraceID, bool) {
	if p := lastHeader.Load(); p != nil && p.header == header {
		return p.id, p.ok
	}
	p := &parsedHeader{header: header}
	if h, err := tracing.ParseHeader(header); err == nil {
		if id, err := tracing.TraceIDFromRoot(h.Root); err == nil && id.IsValid() {
			p.id, p.ok = id, true
		}
	}
	lastHeader.Store(p)
	return p.id, p.ok
}
