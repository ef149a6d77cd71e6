package platform

import (
	"context"

	"go.opentelemetry.io/otel/trace"
)

// drain consumes the queued batches, oldest first, until ctx is done; the
// rest goes back to the queue. The caller holds drainMu.
func (p *Platform) drain(ctx context.Context) error {
	p.dropReported.Store(false)
	batches := p.queue.take()
	for i := range batches {
		if err := ctx.Err(); err != nil {
			p.queue.putBack(batches[i:])
			return err
		}
		p.consume(&batches[i])
	}
	p.placePending()
	return nil
}

// consume turns one batch into metrics and spans: the runtimeDones first,
// so that the report of the same invocation finds its runtimeDone.
func (p *Platform) consume(b *Batch) {
	cfg := p.cfg
	for i := range b.RuntimeDones {
		rd := &b.RuntimeDones[i]
		trigger, _, ok := p.tracker.lookup(rd.RequestID)
		if !ok {
			p.stats.unmatched.Add(1)
		}
		rd.Trigger = trigger
		p.stats.runtimeDones.Add(1)
		if cfg.sink != nil {
			cfg.sink.RecordRuntimeDone(*rd)
		}
		if cfg.tracer != nil && ok {
			p.tracker.hold(rd)
		}
	}
	for i := range b.Reports {
		r := &b.Reports[i]
		trigger, sc, ok := p.tracker.lookup(r.RequestID)
		if !ok {
			p.stats.unmatched.Add(1)
		}
		r.Trigger = trigger
		p.stats.reports.Add(1)
		if cfg.sink != nil {
			cfg.sink.RecordReport(*r)
		}
		if cfg.tracer != nil && ok && sc.IsValid() {
			reportSpan(cfg.tracer, sc, r, p.tracker.take(r.RequestID))
		}
	}
	for i := range b.InitReports {
		p.stats.initReports.Add(1)
		if cfg.sink != nil {
			cfg.sink.RecordInitReport(b.InitReports[i])
		}
		if cfg.tracer != nil {
			p.pendingInit = append(p.pendingInit, b.InitReports[i])
			p.pending.Store(true)
		}
	}
	for i := range b.RestoreReports {
		p.stats.restoreReports.Add(1)
		if cfg.sink != nil {
			cfg.sink.RecordRestoreReport(b.RestoreReports[i])
		}
		if cfg.tracer != nil {
			p.pendingRestore = append(p.pendingRestore, b.RestoreReports[i])
			p.pending.Store(true)
		}
	}
	for i := range b.Logs {
		p.stats.logs.Add(1)
		cfg.logs(b.Logs[i])
	}
}

// placePending records the init and restore spans once the first
// invocation, whose trace they go in, is known.
func (p *Platform) placePending() {
	if len(p.pendingInit)+len(p.pendingRestore) == 0 {
		return
	}
	if sc, ok := p.tracker.firstInvocation(); ok {
		p.recordPending(sc)
	}
}

func (p *Platform) recordPending(sc trace.SpanContext) {
	for i := range p.pendingInit {
		initSpan(p.cfg.tracer, sc, &p.pendingInit[i])
	}
	for i := range p.pendingRestore {
		restoreSpan(p.cfg.tracer, sc, &p.pendingRestore[i])
	}
	p.pendingInit, p.pendingRestore = nil, nil
	p.pending.Store(false)
}

// drainLeftovers records, at shutdown, what still waits: runtimeDones
// whose report never came as spans of their own, init and restore reports
// with no invocation as root spans.
func (p *Platform) drainLeftovers() {
	if p.cfg.tracer == nil {
		return
	}
	for _, h := range p.tracker.leftovers() {
		if h.sc.IsValid() {
			runtimeDoneSpan(p.cfg.tracer, h.sc, h.rd)
		}
	}
	sc, _ := p.tracker.firstInvocation()
	p.recordPending(sc)
}
