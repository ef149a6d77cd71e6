package runtime_test

import (
	"context"
	"log/slog"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
	"github.com/lumen-rt/lumen/telemetry"
)

// TestDeferringStrategiesLoseNothing: under a strategy that defers flushes,
// a busy function sends its telemetry in fewer flushes and loses none of it.
// Its invocations make more spans and log records than the buffers hold: a
// buffer half full is flushed at once, before it overflows, and what the
// last flush left behind leaves with the final flush at SIGTERM.
func TestDeferringStrategiesLoseNothing(t *testing.T) {
	const invocations = 200 // 800 spans and 200 records, buffers of 64
	tests := []struct {
		name string
		s    runtime.FlushStrategy
	}{
		{name: "adaptive", s: runtime.FlushAdaptive()},
		{name: "periodic", s: runtime.FlushPeriodically(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := collector.NewSink(t)
			p := deferredPipeline(t, sink.URL())
			log := slog.New(p.LogHandler())
			signals := make(chan os.Signal, 1)
			h := start(t, func(ctx context.Context) error {
				log.InfoContext(ctx, "work")
				return nil
			}, nil, runtime.WithTelemetry(p), runtime.WithFlushStrategy(tt.s), runtime.WithShutdownSignals(signals))
			for range invocations {
				h.invoke(t, `{}`)
			}
			require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
			requests := len(sink.TraceRequests())
			require.Less(t, requests, invocations/4, "flushes deferred")

			signals <- syscall.SIGTERM
			require.ErrorIs(t, h.wait(t), runtime.ErrShutdown)
			handled := 0
			for _, s := range sink.Spans() {
				if s.GetName() == runtime.SpanHandle {
					handled++
				}
			}
			require.Equal(t, invocations, handled, "every invocation's spans arrived")
			require.Len(t, sink.LogRecords(), invocations, "every log record arrived")
			require.Empty(t, h.errs.all(), "nothing dropped or failed")
		})
	}
}

// deferredPipeline sends spans and log records to url over OTLP/HTTP, each
// buffered in 64 places at most.
func deferredPipeline(t *testing.T, url string) *telemetry.Pipeline {
	t.Helper()
	env := map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": url,
		"OTEL_TRACES_EXPORTER":        "otlp",
		"OTEL_METRICS_EXPORTER":       "none",
		"OTEL_LOGS_EXPORTER":          "otlp",
		"OTEL_BSP_MAX_QUEUE_SIZE":     "64",
		"OTEL_BLRP_MAX_QUEUE_SIZE":    "64",
	}
	p, err := telemetry.New(t.Context(), telemetry.WithEnv(telemetry.ReadEnv(func(k string) string { return env[k] })),
		telemetry.WithoutLogHandler())
	require.NoError(t, err)
	// Run installs the pipeline: give the next tests the process's globals back.
	logger, tp, prop, eh := slog.Default(), otel.GetTracerProvider(), otel.GetTextMapPropagator(), otel.GetErrorHandler()
	t.Cleanup(func() {
		slog.SetDefault(logger)
		otel.SetTracerProvider(tp)
		otel.SetTextMapPropagator(prop)
		otel.SetErrorHandler(eh)
		_ = p.Shutdown(context.Background())
	})
	return p
}
