package tracing_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/tracing"
)

func TestFlushProcessorShutdown(t *testing.T) {
	exp := &flushExporter{}
	var drops flushDrops
	p := tracing.NewFlushProcessor(exp, tracing.WithExporterName("test"), tracing.WithFlushDropCounter(&drops))
	names := endSpans(p, "s", 3)
	require.NoError(t, p.Shutdown(t.Context()))
	require.NoError(t, p.Shutdown(t.Context()), "idempotent")
	batches, calls, shutdowns := exp.get()
	require.Equal(t, [][]string{names}, batches)
	require.Equal(t, 1, shutdowns)

	endSpans(p, "late", 2)
	require.NoError(t, p.ForceFlush(t.Context()))
	_, calls2, shutdowns := exp.get()
	require.Equal(t, calls, calls2, "no export after Shutdown")
	require.Equal(t, 1, shutdowns)
	dropped, _ := drops.get("test/traces")
	require.Equal(t, 2, dropped, "spans ending after Shutdown are counted")
}

// TestFlushProcessorShutdownLosses: what the final flush cannot export is
// dropped and counted, and the exporter is shut down all the same.
func TestFlushProcessorShutdownLosses(t *testing.T) {
	t.Run("export fails", func(t *testing.T) {
		down := errors.New("backend down")
		exp := &flushExporter{fail: []error{down}}
		var drops flushDrops
		p := tracing.NewFlushProcessor(exp, tracing.WithExporterName("test"), tracing.WithFlushDropCounter(&drops))
		endSpans(p, "s", 3)
		err := p.Shutdown(t.Context())
		require.ErrorIs(t, err, down)
		require.ErrorContains(t, err, "3 of 3 span(s) dropped")
		dropped, failures := drops.get("test/traces")
		require.Equal(t, 3, dropped)
		require.Equal(t, 1, failures)
		_, _, shutdowns := exp.get()
		require.Equal(t, 1, shutdowns)
	})
	t.Run("ctx ended", func(t *testing.T) {
		exp := &flushExporter{}
		var drops flushDrops
		p := tracing.NewFlushProcessor(exp, tracing.WithExporterName("test"), tracing.WithFlushDropCounter(&drops))
		endSpans(p, "s", 3)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		require.ErrorIs(t, p.Shutdown(ctx), context.Canceled)
		dropped, failures := drops.get("test/traces")
		require.Equal(t, 3, dropped)
		require.Zero(t, failures, "no export was attempted")
		_, calls, shutdowns := exp.get()
		require.Zero(t, calls)
		require.Equal(t, 1, shutdowns)
	})
	t.Run("flush still running", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			exp := &flushExporter{block: true, unblock: make(chan struct{})}
			var drops flushDrops
			p := tracing.NewFlushProcessor(exp, tracing.WithExporterName("test"), tracing.WithFlushDropCounter(&drops))
			endSpans(p, "a", 2)
			flushCtx, cancelFlush := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() { errc <- p.ForceFlush(flushCtx) }()
			synctest.Wait()
			endSpans(p, "b", 1)

			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			err := p.Shutdown(ctx)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			dropped, _ := drops.get("test/traces")
			require.Equal(t, 1, dropped, "the span buffered behind the running flush")

			cancelFlush() // the running flush fails: its spans cannot be kept any more
			require.ErrorIs(t, <-errc, context.Canceled)
			dropped, _ = drops.get("test/traces")
			require.Equal(t, 3, dropped)
			require.Empty(t, exp.exported())
		})
	})
}

// TestFlushProcessorCancelledFlushHandsOver: SIGTERM's order, the running
// flush cancelled then Shutdown: the cancelled flush's spans go back to the
// buffer and the final flush delivers them with the rest.
func TestFlushProcessorCancelledFlushHandsOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		exp := &flushExporter{block: true, unblock: make(chan struct{})}
		var drops flushDrops
		p := tracing.NewFlushProcessor(exp, tracing.WithExporterName("test"), tracing.WithFlushDropCounter(&drops))
		first := endSpans(p, "a", 2)
		flushCtx, cancelFlush := context.WithCancel(context.Background())
		flushed := make(chan error, 1)
		go func() { flushed <- p.ForceFlush(flushCtx) }()
		synctest.Wait() // blocked in ExportSpans
		second := endSpans(p, "b", 1)

		ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		defer cancel()
		shut := make(chan error, 1)
		go func() { shut <- p.Shutdown(ctx) }()
		synctest.Wait() // Shutdown waits for the running flush
		exp.mu.Lock()
		exp.block = false // the backend answers again
		exp.mu.Unlock()
		cancelFlush()

		require.ErrorIs(t, <-flushed, context.Canceled)
		require.NoError(t, <-shut)
		require.Equal(t, append(first, second...), exp.exported())
		dropped, failures := drops.get("test/traces")
		require.Zero(t, dropped)
		require.Equal(t, 1, failures)
	})
}
