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
// or ctx ends. A failure returns an [*ExportError] and counts the spans as
// dropped (the SDK does not retry a batch). After Shutdown it returns
// [ErrShutdown] and counts the spans.
func (e *SpanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if len(spans) == 0 {
		return nil
	}
	if e.closed.Load() {
		e.send.dropped(len(spans))
		return ErrShutdown
	}
	if err := e.turn.Acquire(ctx); err != nil {
		e.send.countFailure(len(spans))
		return fmt.Errorf("otlp: traces: waiting for the export in progress: %w", err)
	}
	defer e.turn.Release()
	var n int
	e.buf, n = e.enc.Append(e.buf[:0], spans)
	if n == 0 {
		return nil
	}
	reusable, err := e.send.send(ctx, e.buf, n)
	if !reusable {
		e.buf = nil
	}
	if err != nil {
		if x, ok := asExportError(err); ok {
			n = x.Items
		}
		e.send.countFailure(n)
	}
	return err
}

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
