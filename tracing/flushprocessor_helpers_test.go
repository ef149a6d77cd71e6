package tracing_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/tracing"
)

// flushExporter records the names of the spans of each ExportSpans call. The
// errors in fail are returned by the successive calls (nil succeeds); with
// block set, a call waits for its ctx or for unblock to be closed.
type flushExporter struct {
	mu        sync.Mutex
	batches   [][]string
	fail      []error
	block     bool
	unblock   chan struct{}
	calls     int
	shutdowns int
}

func (e *flushExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	e.calls++
	var err error
	if len(e.fail) > 0 {
		err, e.fail = e.fail[0], e.fail[1:]
	}
	block, unblock := e.block, e.unblock
	e.mu.Unlock()
	if block {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-unblock:
		}
	}
	if err != nil {
		return err
	}
	names := make([]string, len(spans))
	for i, s := range spans {
		names[i] = s.Name()
	}
	e.mu.Lock()
	e.batches = append(e.batches, names)
	e.mu.Unlock()
	return nil
}

func (e *flushExporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.shutdowns++
	return nil
}

func (e *flushExporter) get() (batches [][]string, calls, shutdowns int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([][]string(nil), e.batches...), e.calls, e.shutdowns
}

// exported returns every span name exported, in order.
func (e *flushExporter) exported() []string {
	batches, _, _ := e.get()
	var all []string
	for _, b := range batches {
		all = append(all, b...)
	}
	return all
}

// flushDrops is an exporters.DropCounter that also counts failed attempts.
type flushDrops struct {
	mu       sync.Mutex
	dropped  map[string]int
	failures map[string]int
}

func (d *flushDrops) Dropped(exporter, signal string, items int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dropped == nil {
		d.dropped = map[string]int{}
	}
	d.dropped[exporter+"/"+signal] += items
}

func (d *flushDrops) ExportFailed(exporter, signal string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failures == nil {
		d.failures = map[string]int{}
	}
	d.failures[exporter+"/"+signal]++
}

func (d *flushDrops) get(key string) (dropped, failures int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dropped[key], d.failures[key]
}

var _ exporters.ExportFailureCounter = (*flushDrops)(nil)

// flushSpan is an ended span named name, sampled or not.
func flushSpan(name string, sampled bool) sdktrace.ReadOnlySpan {
	var flags trace.TraceFlags
	if sampled {
		flags = trace.FlagsSampled
	}
	return tracetest.SpanStub{Name: name, SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: flags,
	})}.Snapshot()
}

// endSpans ends n sampled spans named prefix0, prefix1, ….
func endSpans(p *tracing.FlushProcessor, prefix string, n int) []string {
	names := make([]string, n)
	for i := range n {
		names[i] = prefix + strconv.Itoa(i)
		p.OnEnd(flushSpan(names[i], true))
	}
	return names
}

func newFlushProcessor(t *testing.T, exp *flushExporter, opts ...tracing.FlushProcessorOption) *tracing.FlushProcessor {
	t.Helper()
	p := tracing.NewFlushProcessor(exp, append([]tracing.FlushProcessorOption{tracing.WithExporterName("test")}, opts...)...)
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p
}
