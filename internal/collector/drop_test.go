package collector

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/tracing"
)

// TestCollectorDownCountsDrops stops the collector, then flushes spans with
// a bounded budget, as the runtime does after each invocation, through the
// flush-point span processor the telemetry package puts in front of every
// span exporter: the flush returns within its context and keeps the spans
// for a later flush (nothing is lost yet); at shutdown, with the collector
// still gone, the spans are dropped and counted, once.
func TestCollectorDownCountsDrops(t *testing.T) {
	for _, protocol := range []string{"http/protobuf", "grpc"} {
		t.Run(protocol, func(t *testing.T) {
			c := Start(t)
			c.Stop()

			var dropped atomic.Int64
			counter := dropCounter(func(n int) { dropped.Add(int64(n)) })
			exp := otlpSpanExporter(t, c, protocol, counter)
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(
				tracing.NewFlushProcessor(exp, tracing.WithFlushDropCounter(counter), tracing.WithExporterName("otlp"))))
			for _, name := range []string{"a", "b", "c"} {
				_, s := tp.Tracer("t").Start(t.Context(), name)
				s.End()
			}
			budget, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			require.Error(t, tp.ForceFlush(budget))
			require.Zero(t, dropped.Load(), "kept for the next flush")

			shutdown, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			require.Error(t, tp.Shutdown(shutdown), "the collector is still gone")
			require.Equal(t, int64(3), dropped.Load(), "lost at shutdown, counted once")
		})
	}
}
