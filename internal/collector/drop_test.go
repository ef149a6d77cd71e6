package collector

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// TestCollectorDownCountsDrops stops the collector, then flushes spans with
// a bounded budget, as the runtime does after each invocation: the flush
// returns within its context and the lost spans are counted.
func TestCollectorDownCountsDrops(t *testing.T) {
	for _, protocol := range []string{"http/protobuf", "grpc"} {
		t.Run(protocol, func(t *testing.T) {
			c := Start(t)
			c.Stop()

			drops := make(chan int, 16)
			exp := otlpSpanExporter(t, c, protocol, dropCounter(func(n int) { drops <- n }))
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
			for _, name := range []string{"a", "b", "c"} {
				_, s := tp.Tracer("t").Start(t.Context(), name)
				s.End()
			}
			budget, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			require.Error(t, tp.ForceFlush(budget))
			require.Equal(t, 3, <-drops)
			require.NoError(t, tp.Shutdown(t.Context()), "nothing left to send")
		})
	}
}
