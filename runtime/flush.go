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

// FlushError reports one flusher's failure or overrun at a flush point. Each
// is reported once through the [WithErrorHandler] handler.
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
		return fmt.Sprintf("flush %s overran its budget: %v", e.Flusher, e.Err)
	}
	return fmt.Sprintf("flush %s failed: %v", e.Flusher, e.Err)
}

// Unwrap returns the flusher's error.
func (e *FlushError) Unwrap() error { return e.Err }

// FlushStats counts flush outcomes since the runtime started.
type FlushStats struct {
	Flushes, Failures, Overruns, Skipped uint64
	// Deferred counts flushes not started because the invocation left no
	// time for them; their telemetry went out with a later flush.
	Deferred uint64
}

// errFlushAbandoned is the cause recorded for a flusher that ignored its
// context past the budget.
var errFlushAbandoned = errors.New("did not return within the flush budget; not waited for")

// Flusher states.
const (
	flusherIdle int32 = iota
	flusherRunning
	flusherDone
	flusherAbandoned
)

// flushTarget runs one flusher on its own goroutine so that a flusher that
// ignores its context cannot hold the loop.
type flushTarget struct {
	name  string
	f     Flusher
	state atomic.Int32
	req   chan context.Context
	done  chan error
}

// flushPoint calls every flusher under one budget.
type flushPoint struct {
	targets []*flushTarget
	budget  time.Duration
	reserve time.Duration
	report  func(error)
	stats   struct{ flushes, failures, overruns, skipped, deferred atomic.Uint64 }
	stop    chan struct{}
	// turn lets one flush run at a time: with several workers, a flush
	// that finds another running waits for it, then flushes what its own
	// invocation added since, which the running one may have missed.
	turn chan struct{}
}

func newFlushPoint(flushers []Flusher, budget, reserve time.Duration, report func(error)) *flushPoint {
	p := &flushPoint{budget: budget, reserve: reserve, report: report, stop: make(chan struct{}), turn: make(chan struct{}, 1)}
	for _, f := range flushers {
		if f == nil {
			continue
		}
		t := &flushTarget{name: flusherName(f), f: f, req: make(chan context.Context), done: make(chan error, 1)}
		p.targets = append(p.targets, t)
		go t.serve(p)
	}
	return p
}

func flusherName(f Flusher) string {
	if n, ok := f.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", f)
}

func (t *flushTarget) serve(p *flushPoint) {
	for {
		select {
		case <-p.stop:
			return
		case ctx := <-t.req:
			err := t.forceFlush(ctx)
			if t.state.CompareAndSwap(flusherRunning, flusherDone) {
				t.done <- err
				continue
			}
			// The waiter gave up on this flush: account for it here.
			if err != nil && ctx.Err() == nil {
				p.fail(t, false, err)
			}
			t.state.Store(flusherIdle)
		}
	}
}

// forceFlush calls the flusher, turning a panic into an error: a flusher
// must not take the function down after its response was delivered.
func (t *flushTarget) forceFlush(ctx context.Context) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%w: %v", errFlusherPanicked, v)
		}
	}()
	return t.f.ForceFlush(ctx)
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

// flush calls every idle flusher and waits for all of them or until end.
func (p *flushPoint) flush(end time.Time) {
	if len(p.targets) == 0 {
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
	var started [8]*flushTarget
	running := started[:0]
	for _, t := range p.targets {
		if !t.state.CompareAndSwap(flusherIdle, flusherRunning) {
			// A flusher still stuck in an abandoned flush is skipped, and
			// that is reported.
			p.stats.skipped.Add(1)
			p.report(&FlushError{Flusher: t.name, Skipped: true})
			continue
		}
		t.req <- ctx
		running = append(running, t)
	}
	for _, t := range running {
		select {
		case err := <-t.done:
			t.state.Store(flusherIdle)
			if err != nil {
				p.fail(t, ctx.Err() != nil, err)
			}
		case <-ctx.Done():
			if t.state.CompareAndSwap(flusherRunning, flusherAbandoned) {
				p.fail(t, true, errFlushAbandoned)
				continue
			}
			// It finished as the budget ran out.
			err := <-t.done
			t.state.Store(flusherIdle)
			if err != nil {
				p.fail(t, ctx.Err() != nil, err)
			}
		}
	}
}

var (
	errFlushBudget     = errors.New("flush budget exhausted")
	errFlusherPanicked = errors.New("flusher panicked")
)

func (p *flushPoint) fail(t *flushTarget, overrun bool, err error) {
	if overrun {
		p.stats.overruns.Add(1)
	} else {
		p.stats.failures.Add(1)
	}
	p.report(&FlushError{Flusher: t.name, Overrun: overrun, Err: err})
}

// Stats returns the counts so far.
func (p *flushPoint) Stats() FlushStats {
	return FlushStats{
		Flushes:  p.stats.flushes.Load(),
		Failures: p.stats.failures.Load(),
		Overruns: p.stats.overruns.Load(),
		Skipped:  p.stats.skipped.Load(),
		Deferred: p.stats.deferred.Load(),
	}
}

// close stops the flusher goroutines; an abandoned flusher's goroutine ends
// when its ForceFlush returns.
func (p *flushPoint) close() { close(p.stop) }
