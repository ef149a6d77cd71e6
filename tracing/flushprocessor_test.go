package tracing_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/tracing"
)

// TestFlushProcessorExportsAtFlushOnly proves there is no timer: a day of
// (fake) time passes without an export, then one ForceFlush exports every
// sampled span in one call, in the order they ended.
func TestFlushProcessorExportsAtFlushOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		exp := &flushExporter{}
		p := newFlushProcessor(t, exp)
		want := endSpans(p, "s", 3)
		p.OnEnd(flushSpan("unsampled", false))
		want = append(want, endSpans(p, "t", 1)...)

		time.Sleep(24 * time.Hour)
		synctest.Wait()
		_, calls, _ := exp.get()
		require.Zero(t, calls, "nothing leaves before ForceFlush")

		require.NoError(t, p.ForceFlush(t.Context()))
		batches, calls, _ := exp.get()
		require.Equal(t, 1, calls)
		require.Equal(t, [][]string{want}, batches)

		require.NoError(t, p.ForceFlush(t.Context()))
		_, calls, _ = exp.get()
		require.Equal(t, 1, calls, "an empty buffer exports nothing")
	})
}

func TestFlushProcessorBatches(t *testing.T) {
	tests := []struct {
		name      string
		opts      []tracing.FlushProcessorOption
		spans     int
		wantSizes []int
	}{
		{name: "default batch of 512", spans: 1200, wantSizes: []int{512, 512, 176}},
		{name: "batch of 2", opts: []tracing.FlushProcessorOption{tracing.WithMaxExportBatch(2)}, spans: 5, wantSizes: []int{2, 2, 1}},
		{name: "batch above the bound is lowered to it", opts: []tracing.FlushProcessorOption{
			tracing.WithMaxBufferedSpans(3), tracing.WithMaxExportBatch(10),
		}, spans: 3, wantSizes: []int{3}},
		{name: "non-positive values keep the defaults", opts: []tracing.FlushProcessorOption{
			tracing.WithMaxBufferedSpans(0), tracing.WithMaxExportBatch(-1),
		}, spans: 600, wantSizes: []int{512, 88}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp := &flushExporter{}
			p := newFlushProcessor(t, exp, tt.opts...)
			want := endSpans(p, "s", tt.spans)
			require.NoError(t, p.ForceFlush(t.Context()))
			batches, _, _ := exp.get()
			sizes := make([]int, len(batches))
			for i, b := range batches {
				sizes[i] = len(b)
			}
			require.Equal(t, tt.wantSizes, sizes)
			require.Equal(t, want, exp.exported())
		})
	}
}

// TestFlushProcessorKeepsFailedSpans: a failed export keeps its spans, in
// front of those that end later; the attempt is counted, nothing dropped.
func TestFlushProcessorKeepsFailedSpans(t *testing.T) {
	down := errors.New("backend down")
	exp := &flushExporter{fail: []error{down, down}}
	var drops flushDrops
	p := newFlushProcessor(t, exp, tracing.WithFlushDropCounter(&drops))

	first := endSpans(p, "a", 2)
	err := p.ForceFlush(t.Context())
	require.ErrorIs(t, err, down)
	require.ErrorContains(t, err, "2 span(s) kept")
	second := endSpans(p, "b", 2)
	require.ErrorIs(t, p.ForceFlush(t.Context()), down)
	third := endSpans(p, "c", 1)
	require.NoError(t, p.ForceFlush(t.Context()))

	batches, calls, _ := exp.get()
	require.Equal(t, 3, calls)
	require.Equal(t, [][]string{append(append(first, second...), third...)}, batches)
	dropped, failures := drops.get("test/traces")
	require.Zero(t, dropped)
	require.Equal(t, 2, failures)
}

// TestFlushProcessorBound: past the bound the oldest spans go, counted,
// whether the buffer fills between flushes or with spans kept after a
// failure.
func TestFlushProcessorBound(t *testing.T) {
	t.Run("between flushes", func(t *testing.T) {
		exp := &flushExporter{}
		var drops flushDrops
		p := newFlushProcessor(t, exp, tracing.WithMaxBufferedSpans(3), tracing.WithFlushDropCounter(&drops))
		names := endSpans(p, "s", 5)
		require.NoError(t, p.ForceFlush(t.Context()))
		require.Equal(t, names[2:], exp.exported())
		dropped, failures := drops.get("test/traces")
		require.Equal(t, 2, dropped)
		require.Zero(t, failures)
	})
	t.Run("after failures", func(t *testing.T) {
		down := errors.New("backend down")
		exp := &flushExporter{fail: []error{down, down}}
		var drops flushDrops
		p := newFlushProcessor(t, exp, tracing.WithMaxBufferedSpans(4), tracing.WithMaxExportBatch(2), tracing.WithFlushDropCounter(&drops))
		a := endSpans(p, "a", 3)
		require.ErrorIs(t, p.ForceFlush(t.Context()), down) // a0..a2 kept
		b := endSpans(p, "b", 2)                            // a0 dropped to make room
		err := p.ForceFlush(t.Context())                    // first batch fails again
		require.ErrorIs(t, err, down)
		c := endSpans(p, "c", 1) // a1 dropped
		require.NoError(t, p.ForceFlush(t.Context()))
		want := append(append([]string{a[2]}, b...), c...)
		require.Equal(t, want, exp.exported())
		dropped, failures := drops.get("test/traces")
		require.Equal(t, 2, dropped)
		require.Equal(t, 2, failures)
	})
}

// lossReporting is an error that says the exporter accounted for its losses.
type lossReporting struct{ n int }

func (e lossReporting) Error() string     { return fmt.Sprintf("%d lost", e.n) }
func (e lossReporting) DroppedSpans() int { return e.n }

// TestFlushProcessorExporterAccountedLoss: an error reporting the exporter's
// own losses is returned, the batch is not kept, the next batch is still
// exported.
func TestFlushProcessorExporterAccountedLoss(t *testing.T) {
	exp := &flushExporter{fail: []error{lossReporting{1}}}
	var drops flushDrops
	p := newFlushProcessor(t, exp, tracing.WithMaxExportBatch(2), tracing.WithFlushDropCounter(&drops))
	names := endSpans(p, "s", 3)
	err := p.ForceFlush(t.Context())
	var lr lossReporting
	require.ErrorAs(t, err, &lr)
	require.Equal(t, names[2:], exp.exported())
	require.NoError(t, p.ForceFlush(t.Context()))
	_, calls, _ := exp.get()
	require.Equal(t, 2, calls, "nothing kept, nothing exported again")
	dropped, failures := drops.get("test/traces")
	require.Zero(t, dropped, "the exporter counts its own losses")
	require.Zero(t, failures)
}

// TestFlushProcessorForceFlushBoundedByContext: an export that would block
// returns when ctx ends and its spans stay for the next flush.
func TestFlushProcessorForceFlushBoundedByContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		exp := &flushExporter{block: true, unblock: make(chan struct{})}
		p := newFlushProcessor(t, exp, tracing.WithMaxExportBatch(1))
		names := endSpans(p, "s", 2)
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		require.ErrorIs(t, p.ForceFlush(ctx), context.DeadlineExceeded)
		_, calls, _ := exp.get()
		require.Equal(t, 1, calls, "the second batch is not tried once ctx has ended")

		require.ErrorIs(t, p.ForceFlush(ctx), context.DeadlineExceeded, "a done ctx exports nothing")
		_, calls, _ = exp.get()
		require.Equal(t, 1, calls)

		close(exp.unblock)
		require.NoError(t, p.ForceFlush(t.Context()))
		require.Equal(t, names, exp.exported())
	})
}

// TestFlushProcessorOneFlushAtATime: a ForceFlush that finds another
// exporting waits for it under its own ctx and never calls the exporter
// concurrently.
func TestFlushProcessorOneFlushAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		exp := &flushExporter{block: true, unblock: make(chan struct{})}
		p := newFlushProcessor(t, exp)
		first := endSpans(p, "a", 2)
		errc := make(chan error, 1)
		go func() { errc <- p.ForceFlush(context.Background()) }()
		synctest.Wait() // the first flush is blocked in ExportSpans

		second := endSpans(p, "b", 1)
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		require.ErrorIs(t, p.ForceFlush(ctx), context.DeadlineExceeded)
		_, calls, _ := exp.get()
		require.Equal(t, 1, calls)

		waiting := make(chan error, 1)
		go func() { waiting <- p.ForceFlush(context.Background()) }()
		synctest.Wait()
		_, calls, _ = exp.get()
		require.Equal(t, 1, calls, "the waiting flush has not exported yet")
		close(exp.unblock)
		require.NoError(t, <-errc)
		require.NoError(t, <-waiting)
		batches, _, _ := exp.get()
		require.Equal(t, [][]string{first, second}, batches)
	})
}

func TestFlushProcessorNilExporter(t *testing.T) {
	p := tracing.NewFlushProcessor(nil)
	p.OnEnd(flushSpan("s", true))
	require.NoError(t, p.ForceFlush(t.Context()))
	require.NoError(t, p.Shutdown(t.Context()))
}

// namedExporter has a Name method.
type namedExporter struct{ flushExporter }

func (*namedExporter) Name() string { return "named" }

func TestFlushProcessorDefaultName(t *testing.T) {
	tests := []struct {
		name string
		exp  sdktrace.SpanExporter
		want string
	}{
		{name: "Name method", exp: &namedExporter{}, want: "named/traces"},
		{name: "package name", exp: tracetest.NewInMemoryExporter(), want: "tracetest/traces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var drops flushDrops
			p := tracing.NewFlushProcessor(tt.exp, tracing.WithMaxBufferedSpans(1), tracing.WithFlushDropCounter(&drops))
			p.OnEnd(flushSpan("a", true))
			p.OnEnd(flushSpan("b", true))
			drops.mu.Lock()
			require.Equal(t, map[string]int{tt.want: 1}, drops.dropped)
			drops.mu.Unlock()
			require.NoError(t, p.Shutdown(t.Context()))
		})
	}
}

// TestFlushProcessorHalfFull: HalfFull follows the spans held, whether they
// arrived, left with a flush, or came back after a failed export.
func TestFlushProcessorHalfFull(t *testing.T) {
	down := errors.New("backend down")
	tests := []struct {
		name  string
		max   int
		spans int
		flush error // flush once, the export answering this; nil: no flush
		want  bool
	}{
		{name: "empty", max: 4, want: false},
		{name: "below half", max: 4, spans: 1, want: false},
		{name: "half", max: 4, spans: 2, want: true},
		{name: "odd bound rounds up", max: 5, spans: 2, want: false},
		{name: "full", max: 4, spans: 9, want: true},
		{name: "flushed", max: 4, spans: 3, flush: errNone, want: false},
		{name: "kept after a failed export", max: 4, spans: 3, flush: down, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp := &flushExporter{}
			p := newFlushProcessor(t, exp, tracing.WithMaxBufferedSpans(tt.max))
			endSpans(p, "a", tt.spans)
			switch tt.flush {
			case nil:
			case errNone:
				require.NoError(t, p.ForceFlush(t.Context()))
			default:
				exp.fail = []error{tt.flush}
				require.ErrorIs(t, p.ForceFlush(t.Context()), tt.flush)
			}
			require.Equal(t, tt.want, p.HalfFull())
		})
	}
}

// errNone asks TestFlushProcessorHalfFull for a flush that succeeds.
var errNone = errors.New("no error")
