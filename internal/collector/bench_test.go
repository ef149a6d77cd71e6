package collector

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkForceFlush measures one invocation's flush to a real collector on
// loopback: four spans ended, then TracerProvider.ForceFlush. ns/op is the
// flush point's cost per invocation.
func BenchmarkForceFlush(b *testing.B) {
	for _, protocol := range []string{"http/protobuf", "grpc"} {
		b.Run(protocol, func(b *testing.B) {
			c := Start(b)
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(otlpSpanExporter(b, c, protocol, nil)))
			b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
			tr := tp.Tracer("bench")
			b.ReportAllocs()
			for b.Loop() {
				ctx, inv := tr.Start(b.Context(), "invocation")
				for _, phase := range []string{"lumen.poll", "lumen.handle", "lumen.post"} {
					_, s := tr.Start(ctx, phase)
					s.End()
				}
				inv.End()
				if err := tp.ForceFlush(b.Context()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
