package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// Flusher is anything that can push buffered telemetry out of the process:
// *sdktrace.TracerProvider, *sdkmetric.MeterProvider, a log processor, a
// Pushgateway pusher. ForceFlush must honour ctx; one that does not is
// abandoned when the budget runs out and skipped until it returns.
type Flusher interface {
	ForceFlush(ctx context.Context) error
}

// FlushError reports one flusher's failure or overrun at a flush point. A
// flusher that starts failing is reported once; the flush point then backs
// off (see [WithFlushBudget]) and counts, without reporting, the failures
// of its retries until one succeeds.
type FlushError struct {
	// Flusher names the flusher: its Name() if it has one, else its type.
	Flusher string
	// Overrun is true when the flusher did not finish within the budget.
	Overrun bool
	// Skipped is true when the flusher was still busy with an earlier,
	// overrun flush and was not called.
	Skipped bool
	Err     error
}

func (e *FlushError) Error() string {
	switch {
	case e.Skipped:
		return fmt.Sprintf("flush %s skipped: an earlier flush is still running", e.Flusher)
	case e.Overrun:
		return fmt.Sprintf("flush %s overran its budget: %v; backing off", e.Flusher, e.Err)
	}
	return fmt.Sprintf("flush %s failed: %v; backing off", e.Flusher, e.Err)
}

// Unwrap returns the flusher's error.
func (e *FlushError) Unwrap() error { return e.Err }

// FlushStats counts flush outcomes since the runtime started.
type FlushStats struct {
	Flushes, Failures, Overruns, Skipped uint64
	// Deferred counts flushes not started because the invocation left no
	// time for them; their telemetry went out with a later flush.
	Deferred uint64
	// Retries counts the flushes of failing flushers started in the
	// background, which the loop does not wait for; Recoveries counts
	// those flushers back to health.
	Retries, Recoveries uint64
}

// Backoff of a failing flusher: the loop stops waiting for it, retries it
// in the background (with half the flush budget) these delays after the
// previous attempt started (doubling from the first, never more than the
// last, or later when its error asks for it), and waits for it again once a
// retry succeeds.
const (
	FlushRetryMinDelay = 100 * time.Millisecond
	FlushRetryMaxDelay = 500 * time.Millisecond
	// flushRetryMaxAfter bounds a Retry-After a backend asks for.
	flushRetryMaxAfter = 5 * time.Minute
)

// retryAfter is implemented by errors that say when to try again, such as
// an OTLP exporter's answer to a 429 or 503 with Retry-After.
type retryAfter interface{ RetryAfter() time.Duration }

var (
	// errFlushAbandoned is the cause recorded for a flusher that ignored
	// its context past the budget.
	errFlushAbandoned  = errors.New("did not return within the flush budget; not waited for")
	errFlushBudget     = errors.New("flush budget exhausted")
	errFlusherPanicked = errors.New("flusher panicked")
	// errFlushShutdown cancels the flushes in progress when Lambda shuts
	// the environment down: the final flush needs the flushers.
	errFlushShutdown = errors.New("cancelled for the final flush at shutdown")
)

// flushesFirst is implemented by a flusher that feeds the others (the
// Telemetry API subscriber turns Lambda's reports into spans and metrics):
// the flush point runs it, and waits for it, before starting them.
type flushesFirst interface{ FlushesFirst() }

// halfFull is implemented by a flusher whose buffer is bounded (spans, log
// records): a strategy that defers flushes flushes at once when it reports
// true, before the buffer overflows.
type halfFull interface{ HalfFull() bool }

// drainer is implemented by a flusher that must wait for telemetry still
// due before the final flush: the runtime calls Drain at shutdown, first.
type drainer interface {
	Drain(ctx context.Context) error
}

// flushPoint calls every flusher under one budget: it waits for the healthy
// ones, retries failing ones in the background and never waits for them.
type flushPoint struct {
	targets []*flushTarget
	first   int // targets[:first] flush before the others
	bounded []halfFull
	budget  time.Duration
	reserve time.Duration
	report  func(error)
	count   func(name string, k outcome)
	stats   struct {
		flushes, failures, overruns, skipped, deferred, retries, recoveries atomic.Uint64
	}
	stop chan struct{}
	// turn lets one flush run at a time: with several workers, a flush
	// that finds another running waits for it, then flushes what its own
	// invocation added since, which the running one may have missed.
	turn chan struct{}
}

// outcome is what the metrics count of one flusher's flush.
type outcome uint8

const (
	outcomeFailed outcome = iota + 1
	outcomeOverrun
	outcomeSkipped
)

func newFlushPoint(flushers []Flusher, budget, reserve time.Duration, report func(error)) *flushPoint {
	p := &flushPoint{budget: budget, reserve: reserve, report: report, stop: make(chan struct{}), turn: make(chan struct{}, 1)}
	var rest []*flushTarget
	for _, f := range flushers {
		if f == nil {
			continue
		}
		t := newFlushTarget(f)
		if b, ok := f.(halfFull); ok {
			p.bounded = append(p.bounded, b)
		}
		if _, ok := f.(flushesFirst); ok {
			p.targets = append(p.targets, t)
		} else {
			rest = append(rest, t)
		}
		go t.serve(p)
	}
	p.first = len(p.targets)
	p.targets = append(p.targets, rest...)
	return p
}

func flusherName(f Flusher) string {
	if n, ok := f.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", f)
}

// halfFull reports whether a flusher's bounded buffer is half full.
func (p *flushPoint) halfFull() bool {
	for _, b := range p.bounded {
		if b.HalfFull() {
			return true
		}
	}
	return false
}

// active reports whether any flusher is registered.
func (p *flushPoint) active() bool { return len(p.targets) > 0 }

// afterInvocation flushes after an invocation whose deadline was deadline
// (zero when unknown): the flush ends at the configured budget from now, or
// at the deadline less the reserve, whichever comes first. After an
// invocation that ran out of time there is no time left: the flush is
// skipped, and what is buffered goes out with the next flush.
func (p *flushPoint) afterInvocation(deadline time.Time) {
	if len(p.targets) == 0 {
		return
	}
	now := time.Now()
	end := now.Add(p.budget)
	if !deadline.IsZero() {
		if capped := deadline.Add(-p.reserve); capped.Before(end) {
			end = capped
		}
	}
	if !end.After(now) {
		p.stats.deferred.Add(1)
		return
	}
	p.flush(end)
}

// flush calls every flusher: it waits for the healthy ones until end and
// starts the failing ones' retries in the background.
func (p *flushPoint) flush(end time.Time) {
	if len(p.targets) == 0 || p.closed() {
		return
	}
	ctx, cancel := context.WithDeadlineCause(context.Background(), end, errFlushBudget)
	defer cancel()
	select {
	case p.turn <- struct{}{}:
		defer func() { <-p.turn }()
	case <-ctx.Done():
		// Another worker's flush held the budget: what this invocation
		// added goes out with the next flush.
		p.stats.deferred.Add(1)
		return
	}
	p.stats.flushes.Add(1)
	p.run(ctx, end, p.targets[:p.first])
	p.run(ctx, end, p.targets[p.first:])
}

// run flushes targets together and waits for the healthy ones.
func (p *flushPoint) run(ctx context.Context, end time.Time, targets []*flushTarget) {
	if len(targets) == 0 {
		return
	}
	var started [8]*flushJob
	waiting := started[:0]
	now := time.Now()
	for _, t := range targets {
		switch t.plan(now) {
		case planSkip:
			p.stats.skipped.Add(1)
			p.countOutcome(t, outcomeSkipped)
		case planRetry:
			// Not waited for: a backend seen failing costs the loop
			// nothing. The retry gets half the budget, so that a
			// blackholed backend is retried often enough to be seen
			// healed within a second.
			p.stats.retries.Add(1)
			t.start(p, context.Background(), now.Add(p.budget/2), false)
		case planFlush:
			waiting = append(waiting, t.start(p, ctx, end, true))
		}
	}
	for _, job := range waiting {
		select {
		case err := <-job.result:
			if err != nil {
				p.failed(job.target, job, errors.Is(context.Cause(job.ctx), errFlushBudget), err)
			}
		case <-ctx.Done():
			if job.target.abandon(job) {
				p.failed(job.target, job, true, errFlushAbandoned)
				continue
			}
			// It finished as the budget ran out.
			if err := <-job.result; err != nil {
				p.failed(job.target, job, true, err)
			}
		}
	}
}

// failed records that a flusher the loop waited for failed or overran: it
// is reported, counted, and backs off.
func (p *flushPoint) failed(t *flushTarget, job *flushJob, overrun bool, err error) {
	if errors.Is(context.Cause(job.ctx), errFlushShutdown) {
		return // cancelled to make way for the final flush: not its failure
	}
	if overrun {
		p.stats.overruns.Add(1)
		p.countOutcome(t, outcomeOverrun)
	} else {
		p.stats.failures.Add(1)
		p.countOutcome(t, outcomeFailed)
	}
	t.backOff(job, err)
	p.report(&FlushError{Flusher: t.name, Overrun: overrun, Err: err})
}

func (p *flushPoint) countOutcome(t *flushTarget, k outcome) {
	if p.count != nil {
		p.count(t.name, k)
	}
}

// final is the flush at shutdown: it cancels the flushes in progress (a
// retry blocked on a dead backend, a flush another worker is waiting for),
// then gives every flusher, healthy or backing off, until end.
func (p *flushPoint) final(end time.Time) {
	if len(p.targets) == 0 {
		return
	}
	ctx, cancel := context.WithDeadlineCause(context.Background(), end, errFlushBudget)
	defer cancel()
	for _, t := range p.targets {
		t.cancelRunning()
	}
	select {
	case p.turn <- struct{}{}:
		defer func() { <-p.turn }()
	case <-ctx.Done():
		return
	}
	p.stats.flushes.Add(1)
	p.runFinal(ctx, end, p.targets[:p.first])
	p.runFinal(ctx, end, p.targets[p.first:])
}

// drain calls Drain on the flushers that have it, within ctx.
func (p *flushPoint) drain(ctx context.Context) {
	for _, t := range p.targets {
		if d, ok := t.f.(drainer); ok {
			if err := d.Drain(ctx); err != nil {
				p.report(fmt.Errorf("draining %s at shutdown: %w", t.name, err))
			}
		}
	}
}

func (p *flushPoint) runFinal(ctx context.Context, end time.Time, targets []*flushTarget) {
	var started [8]*flushJob
	waiting := started[:0]
	for _, t := range targets {
		if !t.waitIdle(ctx) {
			p.countOutcome(t, outcomeSkipped)
			p.report(&FlushError{Flusher: t.name, Skipped: true})
			continue
		}
		waiting = append(waiting, t.start(p, ctx, end, true))
	}
	for _, job := range waiting {
		select {
		case err := <-job.result:
			if err != nil {
				p.report(&FlushError{Flusher: job.target.name, Overrun: errors.Is(context.Cause(job.ctx), errFlushBudget), Err: err})
			}
		case <-ctx.Done():
			if job.target.abandon(job) {
				p.report(&FlushError{Flusher: job.target.name, Overrun: true, Err: errFlushAbandoned})
			}
		}
	}
}

// Stats returns the counts so far.
func (p *flushPoint) Stats() FlushStats {
	return FlushStats{
		Flushes:    p.stats.flushes.Load(),
		Failures:   p.stats.failures.Load(),
		Overruns:   p.stats.overruns.Load(),
		Skipped:    p.stats.skipped.Load(),
		Deferred:   p.stats.deferred.Load(),
		Retries:    p.stats.retries.Load(),
		Recoveries: p.stats.recoveries.Load(),
	}
}

// close stops the flusher goroutines; an abandoned flusher's goroutine ends
// when its ForceFlush returns. A worker still in a handler when Run returned
// after a shutdown finds the flush point closed and flushes nothing.
func (p *flushPoint) close() { close(p.stop) }

func (p *flushPoint) closed() bool {
	select {
	case <-p.stop:
		return true
	default:
		return false
	}
}
