package otlplog

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// traceHeaderKey is the context key aws-lambda-go uses for the raw X-Ray
// header.
const traceHeaderKey = "x-amzn-trace-id"

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
	header := ""
	var buf [3]attribute.KeyValue
	attrs := buf[:0]
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		lc, header = &info.Lambda, info.TraceHeader
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
		if header == "" {
			header, _ = ctx.Value(traceHeaderKey).(string)
		}
		if id, ok := xrayTraceID(header); ok {
			r.SetTraceID(id)
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

// xrayTraceID returns the OpenTelemetry form of the Root of an X-Ray trace
// header ("Root=1-5759e988-bd862e3fe1be46a994272793;…"): the epoch and
// random parts, without dashes.
func xrayTraceID(header string) (trace.TraceID, bool) {
	var id trace.TraceID
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ";")
		root, ok := strings.CutPrefix(strings.TrimSpace(part), "Root=")
		if !ok {
			continue
		}
		// 1-{8 hex}-{24 hex}
		if len(root) != 35 || root[0] != '1' || root[1] != '-' || root[10] != '-' {
			return id, false
		}
		if _, err := hex.Decode(id[:4], []byte(root[2:10])); err != nil {
			return trace.TraceID{}, false
		}
		if _, err := hex.Decode(id[4:], []byte(root[11:])); err != nil {
			return trace.TraceID{}, false
		}
		return id, id.IsValid()
	}
	return id, false
}
