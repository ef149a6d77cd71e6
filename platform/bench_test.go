package platform_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/platform"
)

// The per-invocation cost on the hot path: Started as an invocation
// begins, and a flush point with nothing queued.
func BenchmarkStarted(b *testing.B) {
	p := platform.New()
	ids := make([]string, 1024)
	for i := range ids {
		ids[i] = "request-" + strconv.Itoa(i)
	}
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Started(ids[i%len(ids)], invocation.TriggerHTTP, sc)
	}
}

func BenchmarkForceFlushIdle(b *testing.B) {
	p := platform.New()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = p.ForceFlush(ctx)
	}
}

// The cost of one invocation's events, off the hot path: parsing the
// delivery (in the listener, while the next invocation runs).
func BenchmarkParseBatch(b *testing.B) {
	body := invocationBatch("0a1b2c3d-0000-4000-8000-000000000001", time.Now())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_, _ = platform.ParseBatch(body, false)
	}
}

// The cost of one invocation's events at the flush point: its metrics and
// its lambda.report span with three children, through the SDK.
func BenchmarkFlushOneInvocation(b *testing.B) {
	exp := tracetest.NewNoopExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	p, api := subscribed(b, platform.WithTracerProvider(tp), platform.WithMetricsSink(&nopSink{}), platform.WithTrackedInvocations(4096))
	_, span := tp.Tracer("bench").Start(context.Background(), "invocation")
	sc := span.SpanContext()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		id := "request-" + strconv.Itoa(i)
		p.Started(id, invocation.TriggerHTTP, sc)
		api.deliver(invocationBatch(id, time.Now()))
		b.StartTimer()
		_ = p.ForceFlush(ctx)
	}
}

type nopSink struct{}

func (nopSink) RecordReport(platform.Report)               {}
func (nopSink) RecordRuntimeDone(platform.RuntimeDone)     {}
func (nopSink) RecordInitReport(platform.InitReport)       {}
func (nopSink) RecordRestoreReport(platform.RestoreReport) {}
