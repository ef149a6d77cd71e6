package flush_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/telemetry"
	"github.com/lumen-rt/lumen/tracing"
)

// BenchmarkEncode measures each exporter encoding one invocation's
// telemetry without I/O: OTLP requests built and handed to an
// http.RoundTripper that reads and discards them, EMF documents written to
// io.Discard. Each op records the invocation's signal and flushes it.
func BenchmarkEncode(b *testing.B) {
	// The pipeline gives the resource and the recorder as runtime.Start
	// has them; the exporters under test are built on them by hand, with
	// the discarding transport.
	url, _ := otlpSink(b)
	base := newPipeline(b, otlpEnv(url))
	client := &http.Client{Transport: discard{}}
	opts := []otlp.Option{otlp.WithHTTPClient(client), otlp.WithEndpoint("http://127.0.0.1:1"),
		otlp.WithResource(base.Resource())}
	ctx := context.WithoutCancel(b.Context())

	b.Run("otlp-traces", func(b *testing.B) {
		exp, err := otlp.NewSpanExporter(opts...)
		require.NoError(b, err)
		tp, err := tracing.NewTracerProvider(tracing.WithResource(base.Resource()),
			tracing.WithSpanProcessor(tracing.NewFlushProcessor(exp)))
		require.NoError(b, err)
		b.Cleanup(func() { _ = tp.Shutdown(ctx) })
		r := newInvocationRecorder(base)
		r.tracer = tp.Tracer("github.com/lumen-rt/lumen/runtime")
		benchFlush(b, func() { r.spans(ctx) }, tp)
	})
	b.Run("otlp-metrics", func(b *testing.B) {
		exp, err := otlp.NewMetricExporter(base.Metrics(), opts...)
		require.NoError(b, err)
		r := newInvocationRecorder(base)
		benchFlush(b, r.metrics, exp)
	})
	b.Run("otlp-logs", func(b *testing.B) {
		exp, err := otlp.NewLogExporter(opts...)
		require.NoError(b, err)
		r := newInvocationRecorder(base)
		r.log = slog.New(exp.Handler())
		benchFlush(b, func() { r.logLine(r.invocationContext(ctx)) }, exp)
	})
	b.Run("emf", func(b *testing.B) {
		p := newPipeline(b, with(lambdaEnv(), telemetry.EnvTracesExporter, "none"))
		exp, err := emf.New(p.Metrics(), emf.WithWriter(io.Discard), emf.WithDimensions(map[string]string{"service": "bench"}))
		require.NoError(b, err)
		r := newInvocationRecorder(p)
		benchFlush(b, r.metrics, exp)
	})
}

// benchFlush records one invocation's signal and flushes f, once per op.
func benchFlush(b *testing.B, record func(), f interface{ ForceFlush(context.Context) error }) {
	ctx := context.WithoutCancel(b.Context())
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		record()
		if err := f.ForceFlush(ctx); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

var _ exporters.Flusher = (*otlp.LogExporter)(nil)
