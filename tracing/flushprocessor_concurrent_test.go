package tracing_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/tracing"
)

// idExporter records the span id of every span it is given and fails every
// failEvery-th call (never when 0).
type idExporter struct {
	mu        sync.Mutex
	seen      map[[8]byte]int
	calls     int
	failEvery int
	active    atomic.Int32
	overlap   atomic.Bool
}

func (e *idExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	if e.active.Add(1) > 1 {
		e.overlap.Store(true)
	}
	defer e.active.Add(-1)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls++
	if e.failEvery > 0 && e.calls%e.failEvery == 0 {
		return errors.New("refused")
	}
	for _, s := range spans {
		e.seen[s.SpanContext().SpanID()]++
	}
	return nil
}

func (e *idExporter) Shutdown(context.Context) error { return nil }

// TestFlushProcessorConcurrentSafe ends spans from many goroutines through a
// real tracer provider while another goroutine flushes in a loop: every span
// is exported exactly once or counted as dropped, the exporter is never
// called concurrently, and nothing races (run with -race).
func TestFlushProcessorConcurrentSafe(t *testing.T) {
	const goroutines, perGoroutine = 16, 300
	tests := []struct {
		name      string
		bound     int
		failEvery int
	}{
		{name: "roomy buffer, healthy backend", bound: goroutines * perGoroutine},
		{name: "small buffer, failing backend", bound: 64, failEvery: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp := &idExporter{seen: map[[8]byte]int{}, failEvery: tt.failEvery}
			var drops flushDrops
			p := tracing.NewFlushProcessor(exp, tracing.WithExporterName("test"),
				tracing.WithMaxBufferedSpans(tt.bound), tracing.WithMaxExportBatch(16), tracing.WithFlushDropCounter(&drops))
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(p))
			tr := tp.Tracer("race")

			var ending, flushing sync.WaitGroup
			stop := make(chan struct{})
			for range 2 {
				flushing.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
							_ = p.ForceFlush(t.Context())
						}
					}
				})
			}
			for range goroutines {
				ending.Go(func() {
					for range perGoroutine {
						_, s := tr.Start(t.Context(), "work")
						s.End()
					}
				})
			}
			ending.Wait()
			close(stop)
			flushing.Wait()
			for range 3 { // the failing backend fails one call in three
				_ = p.ForceFlush(t.Context())
			}
			if err := tp.Shutdown(t.Context()); tt.failEvery == 0 {
				require.NoError(t, err)
			}

			exp.mu.Lock()
			defer exp.mu.Unlock()
			for id, n := range exp.seen {
				require.Equal(t, 1, n, "span %x exported %d times", id, n)
			}
			dropped, _ := drops.get("test/traces")
			require.Equal(t, goroutines*perGoroutine, len(exp.seen)+dropped)
			if tt.failEvery == 0 {
				require.Zero(t, dropped)
			}
			require.False(t, exp.overlap.Load(), "ExportSpans ran concurrently")
		})
	}
}
