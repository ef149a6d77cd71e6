package platform_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/platform"
)

// The cost of one invocation's events at the flush point: its metrics and
// its lambda.report span with three children, through the SDK (ended into a
// batch span processor, whose export is the trace exporters' business).
func BenchmarkFlushOneInvocation(b *testing.B) {
	rec, err := metrics.New(metrics.WithFunctionName("bench"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		sink platform.MetricsSink
	}{
		{name: "spans", sink: nil},
		{name: "spans+metrics", sink: recorderSink{rec}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			exp := tracetest.NewNoopExporter()
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
			defer func() { _ = tp.Shutdown(context.Background()) }()
			opts := []platform.Option{platform.WithTracerProvider(tp), platform.WithTrackedInvocations(4096)}
			if bb.sink != nil {
				opts = append(opts, platform.WithMetricsSink(bb.sink))
			}
			p, api := subscribed(b, opts...)
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
		})
	}
}

// recorderSink records the events on a metrics.Recorder as Lumen's
// telemetry package does.
type recorderSink struct{ rec *metrics.Recorder }

func (s recorderSink) RecordReport(r platform.Report) {
	s.rec.RecordPlatformReport(metrics.PlatformReport{
		Trigger: r.Trigger, Status: string(r.Status), ErrorType: r.ErrorType, Duration: r.Duration,
		BilledDuration: r.BilledDuration, MaxMemoryUsedBytes: r.MaxMemoryUsed, MemoryLimitBytes: r.MemorySize,
		InitDuration: r.InitDuration, RestoreDuration: r.RestoreDuration,
	})
}

func (s recorderSink) RecordRuntimeDone(rd platform.RuntimeDone) {
	lat, dur := time.Duration(-1), time.Duration(-1)
	if sp, ok := rd.Span(platform.SpanResponseLatency); ok {
		lat = sp.Duration
	}
	if sp, ok := rd.Span(platform.SpanResponseDuration); ok {
		dur = sp.Duration
	}
	s.rec.RecordPlatformRuntimeDone(metrics.PlatformRuntimeDone{
		Trigger: rd.Trigger, ResponseLatency: lat, ResponseDuration: dur, ProducedBytes: rd.ProducedBytes,
	})
}

func (s recorderSink) RecordInitReport(r platform.InitReport) {
	s.rec.RecordPlatformInit(metrics.PlatformInitReport{InitType: metrics.InitType(r.InitializationType), Duration: r.Duration})
}

func (s recorderSink) RecordRestoreReport(r platform.RestoreReport) {
	s.rec.RecordPlatformRestore(r.Duration)
}

type nopSink struct{}

func (nopSink) RecordReport(platform.Report)               {}
func (nopSink) RecordRuntimeDone(platform.RuntimeDone)     {}
func (nopSink) RecordInitReport(platform.InitReport)       {}
func (nopSink) RecordRestoreReport(platform.RestoreReport) {}
