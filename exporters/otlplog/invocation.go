package otlplog

import (
	"context"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/lumen-rt/lumen/invocation"
)

// stamp is the processor, registered before the batch processor, that adds
// the invocation's attributes to each record and, without a span, the X-Ray
// trace id.
type stamp struct{}

var _ sdklog.Processor = stamp{}

// OnEmit writes Lambda's level name as the severity text, adds
// faas.invocation_id, faas.coldstart and aws.lambda.invoked_arn from the
// invocation in ctx, and sets the trace id from the X-Ray header when the
// SDK found no span.
func (stamp) OnEmit(ctx context.Context, r *sdklog.Record) error {
	if name := severityName(r.Severity()); name != "" {
		r.SetSeverityText(name)
	}
	var lc *lambdacontext.LambdaContext
	var buf [3]attribute.KeyValue
	attrs := buf[:0]
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		lc = &info.Lambda
		attrs = append(attrs, semconv.FaaSColdstart(info.ColdStart))
	} else if l, ok := lambdacontext.FromContext(ctx); ok && l != nil {
		lc = l
	}
	if lc == nil {
		return nil
	}
	if lc.AwsRequestID != "" {
		attrs = append(attrs, semconv.FaaSInvocationID(lc.AwsRequestID))
	}
	if lc.InvokedFunctionArn != "" {
		attrs = append(attrs, semconv.AWSLambdaInvokedARN(lc.InvokedFunctionArn))
	}
	r.AddAttributes(attrs...)
	if !r.TraceID().IsValid() {
		if h, ok := invocation.XRayFromContext(ctx); ok {
			if id, err := invocation.TraceIDFromRoot(h.Root); err == nil {
				r.SetTraceID(id)
			}
		}
	}
	return nil
}

// severityName returns the name of the range of OpenTelemetry severity
// numbers s falls in, which are Lambda's level names (slog's "ERROR+4" is
// FATAL, "INFO+2" is INFO, as in the logging package's level field), or ""
// for an unspecified severity.
func severityName(s log.Severity) string {
	switch {
	case s <= log.SeverityUndefined:
		return ""
	case s < log.SeverityDebug1:
		return "TRACE"
	case s < log.SeverityInfo1:
		return "DEBUG"
	case s < log.SeverityWarn1:
		return "INFO"
	case s < log.SeverityError1:
		return "WARN"
	case s < log.SeverityFatal1:
		return "ERROR"
	}
	return "FATAL"
}

// Enabled returns true: stamp never filters.
func (stamp) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }

// Shutdown does nothing.
func (stamp) Shutdown(context.Context) error { return nil }

// ForceFlush does nothing.
func (stamp) ForceFlush(context.Context) error { return nil }
