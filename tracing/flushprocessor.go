package tracing

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
)

// FlushProcessor is a span processor made for the runtime's flush point. It
// buffers every sampled span that ends and exports them only when asked,
// in ForceFlush or Shutdown, on the caller's goroutine and under the
// caller's context. It runs no goroutine and no timer of its own, so nothing
// it does outlives the flush budget or runs while the process is frozen.
//
// The buffer is bounded: past [WithMaxBufferedSpans] spans the oldest are
// dropped and counted. A flush whose export fails keeps its spans for the
// next flush (still within the bound), so a backend that is down for a few
// invocations loses nothing. Make one with [NewFlushProcessor]; it is safe
// for concurrent use.
type FlushProcessor struct {
	exp sdktrace.SpanExporter
	cfg flushConfig

	// sem is held by the one ForceFlush or Shutdown that exports; batch is
	// the spans it exports, reused from flush to flush.
	sem   chan struct{}
	batch []sdktrace.ReadOnlySpan

	mu      sync.Mutex // guards ring and stopped
	ring    spanRing
	stopped bool
	// held is ring.n, stored under mu after every change, for HalfFull.
	held atomic.Int64

	shutdown atomic.Bool
}

var _ sdktrace.SpanProcessor = (*FlushProcessor)(nil)

// NewFlushProcessor returns a processor that exports to exp at each
// ForceFlush. Defaults: 2048 buffered spans, batches of 512, no drop
// counter, and drops reported under the exporter's name (see
// [WithExporterName]). A nil exp yields a processor that buffers nothing.
//
// exp must honour the context of ExportSpans, as the SpanExporter contract
// asks: the processor waits for the export on the flushing goroutine.
func NewFlushProcessor(exp sdktrace.SpanExporter, opts ...FlushProcessorOption) *FlushProcessor {
	cfg := flushConfig{maxSpans: DefaultMaxBufferedSpans, maxBatch: DefaultMaxExportBatch}
	for _, o := range opts {
		cfg = o.apply(cfg)
	}
	cfg.maxBatch = min(cfg.maxBatch, cfg.maxSpans)
	if cfg.name == "" {
		cfg.name = exporterName(exp)
	}
	p := &FlushProcessor{exp: exp, cfg: cfg, sem: make(chan struct{}, 1)}
	p.ring.max = cfg.maxSpans
	p.stopped = exp == nil
	return p
}

// OnStart does nothing.
func (p *FlushProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd buffers s if it is sampled. It never blocks on an export: it takes
// a lock held only to add or take spans. When the buffer is full the
// oldest span is dropped and counted; after Shutdown s is dropped and
// counted.
func (p *FlushProcessor) OnEnd(s sdktrace.ReadOnlySpan) {
	if !s.SpanContext().IsSampled() {
		return
	}
	p.mu.Lock()
	dropped := p.stopped
	if !dropped {
		dropped = p.ring.push(s)
		p.held.Store(int64(p.ring.n))
	}
	p.mu.Unlock()
	if dropped && p.exp != nil {
		p.dropped(1)
	}
}

// ForceFlush exports every span buffered when it is called, in batches of
// at most [WithMaxExportBatch] spans, one ExportSpans call each, all bounded
// by ctx. Only one flush exports at a time: a concurrent ForceFlush waits for
// it, bounded by its own ctx. If an export fails, or ctx ends before every
// batch is exported, the spans not exported go back to the front of the
// buffer for the next flush (beyond the bound the oldest are dropped and
// counted) and the error is returned. An exporter error that reports its own
// losses (a DroppedSpans() int method, as the xray exporter's has) means the
// exporter already delivered or counted every span of that batch: those
// spans are not kept. After Shutdown, ForceFlush does nothing.
func (p *FlushProcessor) ForceFlush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !p.acquire(ctx) {
		return ctx.Err()
	}
	defer p.release()
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		return nil
	}
	p.batch = p.ring.takeAll(p.batch[:0])
	p.held.Store(0)
	p.mu.Unlock()
	err := p.export(ctx, p.batch, false)
	clear(p.batch)
	p.batch = p.batch[:0]
	return err
}

// HalfFull reports whether the buffer holds at least half the spans it can
// hold ([WithMaxBufferedSpans]). A flush strategy that defers flushes
// flushes at once when it does, before the buffer overflows. It takes no
// lock.
func (p *FlushProcessor) HalfFull() bool {
	return p.held.Load() >= int64((p.cfg.maxSpans+1)/2)
}

// Shutdown exports what is buffered, bounded by ctx, then shuts the exporter
// down. Spans that cannot be exported (ctx ended, the export failed, or a
// flush still running when ctx ended) are dropped and counted. It is
// idempotent; afterwards every method does nothing, and spans that end are
// dropped and counted.
func (p *FlushProcessor) Shutdown(ctx context.Context) error {
	if p.exp == nil || !p.shutdown.CompareAndSwap(false, true) {
		return nil
	}
	acquired := p.acquire(ctx)
	p.mu.Lock()
	p.stopped = true
	var rest []sdktrace.ReadOnlySpan
	if acquired {
		rest = p.ring.takeAll(p.batch[:0])
	} else {
		rest = p.ring.takeAll(nil)
	}
	p.held.Store(0)
	p.mu.Unlock()

	var err error
	if acquired {
		err = p.export(ctx, rest, true)
		clear(rest)
		p.batch = rest[:0]
		p.release()
	} else if len(rest) > 0 {
		p.dropped(len(rest))
		err = fmt.Errorf("tracing: shutdown of %s gave up on %d span(s) while a flush ran: %w", p.cfg.name, len(rest), ctx.Err())
	}
	if serr := p.exp.Shutdown(ctx); serr != nil {
		err = errors.Join(err, fmt.Errorf("tracing: shut down %s: %w", p.cfg.name, serr))
	}
	return err
}

// export sends spans in batches under ctx. On failure the spans not yet
// exported are kept for the next flush or, when final, dropped and counted.
func (p *FlushProcessor) export(ctx context.Context, spans []sdktrace.ReadOnlySpan, final bool) error {
	var errs []error
	for i := 0; i < len(spans); i += p.cfg.maxBatch {
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, p.fail(spans[i:], false, final, err))...)
		}
		batch := spans[i:min(i+p.cfg.maxBatch, len(spans))]
		err := p.exp.ExportSpans(ctx, batch)
		if err == nil {
			continue
		}
		var accounted interface{ DroppedSpans() int }
		if errors.As(err, &accounted) {
			errs = append(errs, fmt.Errorf("tracing: export to %s: %w", p.cfg.name, err))
			continue
		}
		return errors.Join(append(errs, p.fail(spans[i:], true, final, err))...)
	}
	return errors.Join(errs...)
}

// fail handles spans a flush could not export: counts the failed attempt
// (attempted) and keeps the spans for the next flush, or drops and counts
// them on the final flush, after Shutdown, or past the bound.
func (p *FlushProcessor) fail(spans []sdktrace.ReadOnlySpan, attempted, final bool, cause error) error {
	if attempted {
		if fc, ok := p.cfg.drops.(exporters.ExportFailureCounter); ok {
			fc.ExportFailed(p.cfg.name, exporters.SignalTraces)
		}
	}
	lost := len(spans)
	if !final {
		p.mu.Lock()
		if !p.stopped {
			lost = p.ring.prepend(spans)
			p.held.Store(int64(p.ring.n))
		}
		p.mu.Unlock()
	}
	p.dropped(lost)
	if lost == 0 {
		return fmt.Errorf("tracing: export to %s failed, %d span(s) kept for the next flush: %w", p.cfg.name, len(spans), cause)
	}
	return fmt.Errorf("tracing: export to %s failed, %d of %d span(s) dropped: %w", p.cfg.name, lost, len(spans), cause)
}

func (p *FlushProcessor) dropped(n int) {
	if n > 0 && p.cfg.drops != nil {
		p.cfg.drops.Dropped(p.cfg.name, exporters.SignalTraces, n)
	}
}

// acquire takes the export slot, waiting for a running flush at most until
// ctx ends.
func (p *FlushProcessor) acquire(ctx context.Context) bool {
	select {
	case p.sem <- struct{}{}:
		return true
	default:
	}
	select {
	case p.sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *FlushProcessor) release() { <-p.sem }
