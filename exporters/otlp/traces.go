package otlp

import (
	"context"
	"fmt"
	"sync/atomic"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/exporters/internal/turn"
)

// SpanExporter is an sdktrace.SpanExporter that sends each batch of spans
// as one OTLP/HTTP request. Its methods are safe for concurrent use;
// batches are sent one at a time.
type SpanExporter struct {
	send   *sender
	closed atomic.Bool

	// turn holds one token: the export in progress. The fields below are
	// used only by its holder.
	turn turn.Turn
	enc  *otlpwire.Traces
	buf  []byte
}

// NewSpanExporter returns a span exporter. It does no I/O. The spans carry
// their resource, so [WithResource] only primes the encoder's cache.
// Defaults: see the options.
func NewSpanExporter(opts ...Option) (*SpanExporter, error) {
	c := newConfig(opts)
	s, err := newSender(&c, exporters.SignalTraces, pathTraces)
	if err != nil {
		return nil, err
	}
	return &SpanExporter{send: s, turn: turn.New(), enc: otlpwire.NewTraces(c.resource)}, nil
}

// ExportSpans sends spans in one request and returns when it is answered
// or ctx ends. A failure returns an [*ExportError]. The spans of a failure
// worth retrying (no answer, 429, 502, 503, 504) are not counted: the span
// processor in front of the exporter (tracing.FlushProcessor) keeps them
// for the next flush and counts those it has to drop. Spans the backend
// refused for good (another status, a partial success) are counted as
// dropped, and the error says how many (DroppedSpans), so that the
// processor does not keep them. After Shutdown it returns [ErrShutdown] and
// counts the spans.
func (e *SpanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if len(spans) == 0 {
		return nil
	}
	if e.closed.Load() {
		e.send.dropped(len(spans))
		return ErrShutdown
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("otlp: traces: waiting for the export in progress: %w", err)
	}
	defer e.turn.Release()
	var n int
	e.buf, n = e.enc.Append(e.buf[:0], spans)
	if n == 0 {
		return nil
	}
	if err := e.send.send(ctx, e.buf, n); err != nil {
		x, ok := asExportError(err)
		if ok && x.Retryable() {
			e.send.countFailure(0) // an attempt failed; the spans are kept
			return err
		}
		if ok {
			n = x.Items
		}
		e.send.countFailure(n)
		return &droppedSpans{err: err, n: n}
	}
	return nil
}

// droppedSpans is the error of an export whose spans are lost for good.
type droppedSpans struct {
	err error
	n   int
}

func (d *droppedSpans) Error() string { return d.err.Error() }
func (d *droppedSpans) Unwrap() error { return d.err }

// DroppedSpans reports how many spans the export lost and counted, for
// span processors that keep failed spans for a later export.
func (d *droppedSpans) DroppedSpans() int { return d.n }

// Shutdown stops the exporter: it waits for an export in progress, but
// never past ctx. Later calls do nothing.
func (e *SpanExporter) Shutdown(ctx context.Context) error {
	if !e.closed.CompareAndSwap(false, true) {
		return nil
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("otlp: traces: waiting for the export in progress: %w", err)
	}
	e.turn.Release()
	return nil
}

// Name returns the name the exporter's drops are counted under.
func (e *SpanExporter) Name() string { return e.send.name }

var _ sdktrace.SpanExporter = (*SpanExporter)(nil)
