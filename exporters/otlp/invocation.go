package otlp

import (
	"context"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/invocation"
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
// trace id of the invocation's X-Ray header (parsed once, by the runtime).
// It returns the invocation's attributes.
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
	if h, ok := invocation.XRayFromContext(ctx); ok {
		if id, err := invocation.TraceIDFromRoot(h.Root); err == nil {
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
