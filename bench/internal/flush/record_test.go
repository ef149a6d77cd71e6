package flush_test

import (
	"context"
	"testing"

	"github.com/lumen-rt/lumen/telemetry"
)

// flushEvery is how many recorded invocations a record benchmark lets
// buffer before it flushes them, with the timer stopped: fewer than the
// span and log buffers hold.
const flushEvery = 128

// BenchmarkRecord measures what the loop records per invocation, without
// the export: each op is one invocation's spans, metrics or log line.
func BenchmarkRecord(b *testing.B) {
	b.Run("spans", func(b *testing.B) {
		url, _ := otlpSink(b)
		p := newPipeline(b, with(otlpEnv(url), telemetry.EnvMetricsExporter, "none", telemetry.EnvLogsExporter, "none"))
		r := newInvocationRecorder(p)
		ctx := b.Context()
		benchRecord(b, p, func() { r.spans(ctx) })
	})
	b.Run("metrics-emf", func(b *testing.B) {
		p := newPipeline(b, with(lambdaEnv(), telemetry.EnvTracesExporter, "none"))
		r := newInvocationRecorder(p)
		benchRecord(b, nil, r.metrics)
	})
	b.Run("metrics-otlp", func(b *testing.B) {
		url, _ := otlpSink(b)
		p := newPipeline(b, with(otlpEnv(url), telemetry.EnvTracesExporter, "none", telemetry.EnvLogsExporter, "none"))
		r := newInvocationRecorder(p)
		benchRecord(b, nil, r.metrics)
	})
	b.Run("log-json", func(b *testing.B) {
		p := newPipeline(b, with(lambdaEnv(), telemetry.EnvLogFormat, "JSON", telemetry.EnvMetricsExporter, "none"))
		r := newInvocationRecorder(p)
		ctx := b.Context()
		benchRecord(b, nil, func() { r.logLine(r.invocationContext(ctx)) })
	})
	b.Run("log-json+otlp", func(b *testing.B) {
		url, _ := otlpSink(b)
		p := newPipeline(b, with(otlpEnv(url), telemetry.EnvLogFormat, "JSON", telemetry.EnvTracesExporter, "none",
			telemetry.EnvMetricsExporter, "none"))
		r := newInvocationRecorder(p)
		ctx := b.Context()
		benchRecord(b, p, func() { r.logLine(r.invocationContext(ctx)) })
	})
}

// benchRecord runs record once per op; with p, it flushes p every
// flushEvery ops with the timer stopped.
func benchRecord(b *testing.B, p *telemetry.Pipeline, record func()) {
	ctx := context.WithoutCancel(b.Context())
	b.ReportAllocs()
	n := 0
	cpu := startCPU()
	for b.Loop() {
		record()
		if n++; p != nil && n%flushEvery == 0 {
			b.StopTimer()
			cpu.pause()
			flushAll(b, ctx, p)
			cpu.resume()
			b.StartTimer()
		}
	}
	cpu.report(b)
}
