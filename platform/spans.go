package platform

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// InstrumentationName is the name of the tracer the platform spans are
// recorded with.
const InstrumentationName = "github.com/lumen-rt/lumen/platform"

// Names of the spans recorded from the events. Lambda's own sub-phases
// (responseLatency, …) become their children under Lambda's names.
const (
	// SpanReport is an invocation as Lambda measured it, from its
	// platform.runtimeDone and platform.report: a child of the invocation
	// span, from the report's time less its duration to the report's
	// time.
	SpanReport = "lambda.report"
	// SpanInit is the init phase from platform.initReport, in the trace of
	// the process's first invocation.
	SpanInit = "lambda.init"
	// SpanRestore is a SnapStart restore from platform.restoreReport, in
	// the trace of the first invocation.
	SpanRestore = "lambda.restore"
)

// Attributes of the platform spans. The OpenTelemetry FaaS conventions
// name the invocation id (faas.invocation_id), the memory limit in bytes
// (faas.max_memory) and the error (error.type); the rest carry Lambda's own
// names and units, those of the REPORT log line.
const (
	AttrStatus             = attribute.Key("aws.lambda.status")
	AttrDurationMS         = attribute.Key("aws.lambda.duration_ms")
	AttrBilledDurationMS   = attribute.Key("aws.lambda.billed_duration_ms")
	AttrMemorySizeMB       = attribute.Key("aws.lambda.memory_size_mb")
	AttrMaxMemoryUsedMB    = attribute.Key("aws.lambda.max_memory_used_mb")
	AttrInitDurationMS     = attribute.Key("aws.lambda.init_duration_ms")
	AttrRestoreDurationMS  = attribute.Key("aws.lambda.restore_duration_ms")
	AttrRuntimeDurationMS  = attribute.Key("aws.lambda.runtime_duration_ms")
	AttrProducedBytes      = attribute.Key("aws.lambda.produced_bytes")
	AttrInitializationType = attribute.Key("aws.lambda.initialization_type")
	AttrInitPhase          = attribute.Key("aws.lambda.init_phase")
)

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// reportSpan records the span of one invocation's report, rd its
// runtimeDone if it arrived.
func reportSpan(tracer trace.Tracer, sc trace.SpanContext, r *Report, rd *RuntimeDone) {
	attrs := make([]attribute.KeyValue, 0, 12)
	attrs = append(attrs, semconv.FaaSInvocationID(r.RequestID), AttrDurationMS.Float64(ms(r.Duration)))
	if r.Status != "" {
		attrs = append(attrs, AttrStatus.String(string(r.Status)))
	}
	if r.BilledDuration > 0 {
		attrs = append(attrs, AttrBilledDurationMS.Int64(r.BilledDuration.Milliseconds()))
	}
	if r.MemorySize > 0 {
		attrs = append(attrs, semconv.FaaSMaxMemory(int(r.MemorySize)), AttrMemorySizeMB.Int64(r.MemorySize>>20))
	}
	if r.MaxMemoryUsed > 0 {
		attrs = append(attrs, AttrMaxMemoryUsedMB.Int64(r.MaxMemoryUsed>>20))
	}
	if r.InitDuration > 0 {
		attrs = append(attrs, AttrInitDurationMS.Float64(ms(r.InitDuration)))
	}
	if r.RestoreDuration > 0 {
		attrs = append(attrs, AttrRestoreDurationMS.Float64(ms(r.RestoreDuration)))
	}
	var children []Span
	if rd != nil {
		if rd.Duration > 0 {
			attrs = append(attrs, AttrRuntimeDurationMS.Float64(ms(rd.Duration)))
		}
		if rd.ProducedBytes >= 0 {
			attrs = append(attrs, AttrProducedBytes.Int64(rd.ProducedBytes))
		}
		children = rd.Spans
	}
	record(tracer, sc, SpanReport, r.Time.Add(-r.Duration), r.Time, attrs, r.Status, r.ErrorType, children, r.Spans)
}

// runtimeDoneSpan records the span of a runtimeDone whose report never
// came.
func runtimeDoneSpan(tracer trace.Tracer, sc trace.SpanContext, rd *RuntimeDone) {
	attrs := []attribute.KeyValue{semconv.FaaSInvocationID(rd.RequestID), AttrStatus.String(string(rd.Status))}
	if rd.Duration > 0 {
		attrs = append(attrs, AttrRuntimeDurationMS.Float64(ms(rd.Duration)))
	}
	if rd.ProducedBytes >= 0 {
		attrs = append(attrs, AttrProducedBytes.Int64(rd.ProducedBytes))
	}
	record(tracer, sc, SpanReport, rd.Time.Add(-rd.Duration), rd.Time, attrs, rd.Status, rd.ErrorType, rd.Spans, nil)
}

// initSpan records an init report in the trace of sc.
func initSpan(tracer trace.Tracer, sc trace.SpanContext, r *InitReport) {
	attrs := []attribute.KeyValue{AttrInitDurationMS.Float64(ms(r.Duration))}
	if r.InitializationType != "" {
		attrs = append(attrs, AttrInitializationType.String(r.InitializationType))
	}
	if r.Phase != "" {
		attrs = append(attrs, AttrInitPhase.String(r.Phase))
	}
	if r.Status != "" {
		attrs = append(attrs, AttrStatus.String(string(r.Status)))
	}
	record(tracer, sc, SpanInit, r.Time.Add(-r.Duration), r.Time, attrs, r.Status, r.ErrorType, r.Spans, nil)
}

// restoreSpan records a restore report in the trace of sc.
func restoreSpan(tracer trace.Tracer, sc trace.SpanContext, r *RestoreReport) {
	attrs := []attribute.KeyValue{AttrStatus.String(string(r.Status))}
	if r.Duration > 0 {
		attrs = append(attrs, AttrRestoreDurationMS.Float64(ms(r.Duration)))
	}
	record(tracer, sc, SpanRestore, r.Time.Add(-r.Duration), r.Time, attrs, r.Status, r.ErrorType, r.Spans, nil)
}

// record starts and ends one span with the platform's timestamps, a child
// of sc (a root span when sc is not valid), with a child span for each of
// Lambda's sub-phases. A status other than success marks it and its
// children as errors.
func record(tracer trace.Tracer, sc trace.SpanContext, name string, start, end time.Time, attrs []attribute.KeyValue,
	status Status, errorType string, children ...[]Span,
) {
	failed := status != "" && status != StatusSuccess
	if failed {
		if errorType == "" {
			errorType = string(status)
		}
		attrs = append(attrs, semconv.ErrorTypeKey.String(errorType))
	}
	parent := trace.ContextWithSpanContext(context.Background(), sc)
	ctx, span := tracer.Start(parent, name, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	if failed {
		span.SetStatus(codes.Error, errorType)
	}
	for _, list := range children {
		for _, c := range list {
			_, child := tracer.Start(ctx, c.Name, trace.WithSpanKind(trace.SpanKindInternal), trace.WithTimestamp(c.Start))
			if failed {
				child.SetStatus(codes.Error, errorType)
			}
			child.End(trace.WithTimestamp(c.Start.Add(c.Duration)))
		}
	}
	span.End(trace.WithTimestamp(end))
}
