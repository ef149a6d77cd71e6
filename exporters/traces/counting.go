package traces

import (
	"context"
	"errors"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
)

// CountingExporter wraps a span exporter and counts the spans of every
// failed export as dropped. Make one with [Counting].
type CountingExporter struct {
	next    sdktrace.SpanExporter
	name    string
	counter exporters.DropCounter
}

var _ sdktrace.SpanExporter = (*CountingExporter)(nil)

// Counting returns exp wrapped so that when ExportSpans fails, its spans are
// counted as dropped under exporter name and signal "traces". An error that
// knows how many spans it lost (a DroppedSpans() int method, as
// xray.ExportError has) is counted by that number instead, so delivered spans
// are not counted. With a nil counter exp is returned unchanged. Do not wrap
// an exporter that counts its own drops (xray with WithDropCounter).
func Counting(exp sdktrace.SpanExporter, name string, counter exporters.DropCounter) sdktrace.SpanExporter {
	if counter == nil || exp == nil {
		return exp
	}
	return &CountingExporter{next: exp, name: name, counter: counter}
}

// ExportSpans implements sdktrace.SpanExporter.
func (c *CountingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	err := c.next.ExportSpans(ctx, spans)
	if err == nil {
		return nil
	}
	n := len(spans)
	var partial interface{ DroppedSpans() int }
	if errors.As(err, &partial) {
		n = partial.DroppedSpans()
	}
	if n > 0 {
		exporters.CountFailure(c.counter, c.name, exporters.SignalTraces, n)
	}
	return err
}

// Shutdown implements sdktrace.SpanExporter.
func (c *CountingExporter) Shutdown(ctx context.Context) error { return c.next.Shutdown(ctx) }

// ForceFlush flushes the wrapped exporter if it can be flushed.
func (c *CountingExporter) ForceFlush(ctx context.Context) error {
	if f, ok := c.next.(interface{ ForceFlush(context.Context) error }); ok {
		return f.ForceFlush(ctx)
	}
	return ctx.Err()
}

// Unwrap returns the wrapped exporter.
func (c *CountingExporter) Unwrap() sdktrace.SpanExporter { return c.next }

// Name returns the name drops are counted under.
func (c *CountingExporter) Name() string { return c.name }
