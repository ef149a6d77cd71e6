package otlplog_test

import (
	"context"
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/invocation"
)

// setEnv points the standard variables at endpoint and clears those that
// would change the results.
func setEnv(t *testing.T, endpoint string) {
	t.Helper()
	for _, k := range []string{
		"AWS_LAMBDA_LOG_LEVEL", "AWS_LAMBDA_LOG_FORMAT", "POWERTOOLS_LOGGER_SAMPLE_RATE",
		"OTEL_RESOURCE_ATTRIBUTES", "OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "OTEL_BLRP_MAX_QUEUE_SIZE", "OTEL_EXPORTER_OTLP_HEADERS",
		"AWS_REGION", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_LOG_GROUP_NAME",
	} {
		t.Setenv(k, "")
	}
	t.Setenv("OTEL_LOGS_EXPORTER", "otlp")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "checkout")
	t.Setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
	// No timer-driven export: records leave on ForceFlush, Shutdown or a
	// full batch only, so what a test counts does not depend on timing.
	t.Setenv("OTEL_BLRP_SCHEDULE_DELAY", "3600000")
}

func requestID(n int) string { return fmt.Sprintf("8476a536-e9f4-11e8-9739-%012d", n) }

// xrayRoot is the X-Ray form of traceID(n).
func xrayRoot(n int) string { return fmt.Sprintf("1-5759e988-%024x", n) }

// xrayAsTraceID is the OpenTelemetry form of xrayRoot(n).
func xrayAsTraceID(n int) string { return fmt.Sprintf("5759e988%024x", n) }

// invocationCtx returns a context carrying invocation n and, with span, a
// sampled span whose ids derive from n.
func invocationCtx(n int, span bool) (context.Context, trace.SpanContext) {
	info := &invocation.Info{
		TraceHeader: "Root=" + xrayRoot(n) + ";Parent=53995c3f42cd8ad8;Sampled=1",
		ColdStart:   n == 0,
	}
	info.Lambda.AwsRequestID = requestID(n)
	info.Lambda.InvokedFunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:checkout:live"
	ctx := invocation.NewContext(context.Background(), info)
	if !span {
		return ctx, trace.SpanContext{}
	}
	var tid trace.TraceID
	var sid trace.SpanID
	copy(tid[:], fmt.Sprintf("t%015d", n))
	copy(sid[:], fmt.Sprintf("s%07d", n))
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
	return trace.ContextWithSpanContext(ctx, sc), sc
}

// droppedLogs returns the log records d counted for the otlplog exporter.
func droppedLogs(d *exportertest.Drops) int { return d.Count(otlplog.Name, exporters.SignalLogs) }
