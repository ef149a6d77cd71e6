package tracing_test

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/tracing"
)

// benchProcessors are the two ways of exporting at the flush point: Lumen's
// FlushProcessor and the SDK's batch span processor drained by ForceFlush.
// Compare them with benchstat -col /processor.
var benchProcessors = []struct {
	name string
	new  func(sdktrace.SpanExporter) sdktrace.SpanProcessor
}{
	{"flush", func(e sdktrace.SpanExporter) sdktrace.SpanProcessor { return tracing.NewFlushProcessor(e) }},
	{"batch", func(e sdktrace.SpanExporter) sdktrace.SpanProcessor { return sdktrace.NewBatchSpanProcessor(e) }},
}

// BenchmarkProcessorOnEnd measures ending one span: OnEnd, with a flush
// every 256 spans (so neither processor's queue overflows) amortised in.
func BenchmarkProcessorOnEnd(b *testing.B) {
	span := flushSpan("work", true)
	for _, bp := range benchProcessors {
		b.Run("processor="+bp.name, func(b *testing.B) {
			p := bp.new(tracetest.NewNoopExporter())
			b.Cleanup(func() { _ = p.Shutdown(context.Background()) })
			ctx := b.Context()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				p.OnEnd(span)
				if i%256 == 255 {
					_ = p.ForceFlush(ctx)
				}
			}
		})
	}
}

// BenchmarkProcessorInvocation measures one invocation's share at the
// flush point: four spans end (invocation, receive, handle, post), then
// ForceFlush exports them in one call.
func BenchmarkProcessorInvocation(b *testing.B) {
	spans := []sdktrace.ReadOnlySpan{
		flushSpan("lumen.receive", true), flushSpan("lumen.handle", true),
		flushSpan("lumen.post", true), flushSpan("GET /hello", true),
	}
	for _, bp := range benchProcessors {
		b.Run("processor="+bp.name, func(b *testing.B) {
			p := bp.new(tracetest.NewNoopExporter())
			b.Cleanup(func() { _ = p.Shutdown(context.Background()) })
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range spans {
					p.OnEnd(s)
				}
				if err := p.ForceFlush(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkProcessorTracerProvider is the same invocation through a tracer
// provider: four spans started and ended, then the provider's ForceFlush.
func BenchmarkProcessorTracerProvider(b *testing.B) {
	for _, bp := range benchProcessors {
		b.Run("processor="+bp.name, func(b *testing.B) {
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(bp.new(tracetest.NewNoopExporter())))
			b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
			tr := tp.Tracer("bench")
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				ictx, inv := tr.Start(ctx, "GET /hello")
				for _, name := range [...]string{"lumen.receive", "lumen.handle", "lumen.post"} {
					_, s := tr.Start(ictx, name)
					s.End()
				}
				inv.End()
				if err := tp.ForceFlush(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
