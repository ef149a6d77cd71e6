package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// flushTarget runs one flusher on its own goroutine, so that a flusher that
// ignores its context cannot hold the loop, and keeps its health: a flusher
// that failed backs off and is retried in the background until a retry
// succeeds.
type flushTarget struct {
	name string
	f    Flusher
	req  chan *flushJob

	mu       sync.Mutex
	running  *flushJob     // the flush in progress, nil when idle
	idle     chan struct{} // made by a waiter, closed when running becomes nil
	failures int           // consecutive failures; 0 is healthy
	retryAt  time.Time     // earliest retry while failing
	// behind is set when a flush point skipped the flusher because a
	// flush nobody waits for (a retry, an abandoned flush) was running:
	// what the skipped invocations buffered is still to be sent.
	behind bool
}

// flushJob is one ForceFlush call.
type flushJob struct {
	target  *flushTarget
	ctx     context.Context
	cancel  context.CancelCauseFunc
	started time.Time
	result  chan error // buffered: the outcome, when waited is still true
	waited  bool       // a flush point waits for the outcome (guarded by target.mu)
	retry   bool       // started in the background: nobody ever waited
}

// plan is what a flush point does with a flusher.
type plan uint8

const (
	planFlush plan = iota // call it and wait, under the budget
	planRetry             // call it in the background, without waiting
	planSkip              // still busy, or backing off
)

func newFlushTarget(f Flusher) *flushTarget {
	return &flushTarget{name: flusherName(f), f: f, req: make(chan *flushJob, 1)}
}

func (t *flushTarget) plan(now time.Time) plan {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.running != nil:
		t.behind = true
		return planSkip
	case t.failures == 0:
		return planFlush
	case now.Before(t.retryAt):
		return planSkip
	}
	return planRetry
}

// start hands the flusher a flush that ends at end; the target must be
// idle, which the caller's turn guarantees. A flush that ends with its
// parent (the flush point's, which ends at end with errFlushBudget as its
// cause) needs no deadline, nor timer, of its own.
func (t *flushTarget) start(p *flushPoint, parent context.Context, end time.Time, waited bool) *flushJob {
	job := t.newJob(parent, end, waited)
	t.mu.Lock()
	t.running = job
	t.behind = false
	t.mu.Unlock()
	t.req <- job
	return job
}

// newJob prepares a flush that ends at end.
func (t *flushTarget) newJob(parent context.Context, end time.Time, waited bool) *flushJob {
	ctx, cancel := context.WithCancelCause(parent)
	if d, ok := parent.Deadline(); !ok || d.After(end) {
		cctx, cancelCause := ctx, cancel
		var cancelDeadline context.CancelFunc
		ctx, cancelDeadline = context.WithDeadlineCause(cctx, end, errFlushBudget)
		cancel = func(cause error) {
			cancelCause(cause)
			cancelDeadline()
		}
	}
	return &flushJob{target: t, ctx: ctx, cancel: cancel, started: time.Now(), result: make(chan error, 1), waited: waited, retry: !waited}
}

func (t *flushTarget) serve(p *flushPoint) {
	for {
		select {
		case <-p.stop:
			return
		case job := <-t.req:
			err := t.forceFlush(job.ctx)
			t.finish(p, job, err)
			job.cancel(nil)
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

// finish records the end of a flush: to the flush point that waits for it,
// or, for a retry or an abandoned flush, as the flusher's health. When a
// flush nobody waited for got through while flush points skipped the
// flusher, it catches up at once with another flush in the background:
// the skipped invocations' telemetry must not wait for the next
// invocation, which may come after a freeze.
func (t *flushTarget) finish(p *flushPoint, job *flushJob, err error) {
	shutdown := errors.Is(context.Cause(job.ctx), errFlushShutdown)
	var catchUp *flushJob
	t.mu.Lock()
	waited := job.waited
	recovered, failedAgain := false, false
	switch {
	case waited || shutdown:
	case err == nil:
		// A retry, or an abandoned flush that got through after all.
		recovered, t.failures = t.failures > 0, 0
		if t.behind && !p.closed() {
			catchUp = t.newJob(context.Background(), time.Now().Add(p.budget/2), false)
		}
	case job.retry:
		// An abandoned flush's failure was counted when it was abandoned.
		failedAgain = true
		t.failures++
		t.retryAt = retryTime(job.started, t.failures, err)
	}
	t.behind = false
	if catchUp != nil {
		// Still busy: the flush points keep skipping it until the
		// catch-up ends.
		t.running = catchUp
	} else {
		t.running = nil
		if t.idle != nil {
			close(t.idle)
			t.idle = nil
		}
	}
	t.mu.Unlock()
	if catchUp != nil {
		t.req <- catchUp // t.req is empty: only serve, the caller, takes from it
	}
	switch {
	case waited:
		job.result <- err
	case recovered:
		p.stats.recoveries.Add(1)
	case failedAgain && errors.Is(context.Cause(job.ctx), errFlushBudget):
		p.stats.overruns.Add(1)
		p.countOutcome(t, outcomeOverrun)
	case failedAgain:
		p.stats.failures.Add(1)
		p.countOutcome(t, outcomeFailed)
	}
}

// abandon stops waiting for job; it reports false when job already
// finished, so that its result is there to read.
func (t *flushTarget) abandon(job *flushJob) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	job.waited = false
	return t.running == job
}

// backOff records a failure the loop waited for.
func (t *flushTarget) backOff(job *flushJob, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures++
	t.retryAt = retryTime(job.started, t.failures, err)
}

// retryTime is when to retry after the n-th failure in a row of an attempt
// that started at start: the delay doubles from FlushRetryMinDelay up to FlushRetryMaxDelay, unless the
// error asks for a later retry.
func retryTime(start time.Time, n int, err error) time.Time {
	d := FlushRetryMaxDelay
	if n < 8 {
		d = min(FlushRetryMinDelay<<(n-1), FlushRetryMaxDelay)
	}
	var ra retryAfter
	if errors.As(err, &ra) {
		d = max(d, min(ra.RetryAfter(), flushRetryMaxAfter))
	}
	return start.Add(d)
}

// cancelRunning cancels the flush in progress, if any, for the final flush.
func (t *flushTarget) cancelRunning() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.running != nil {
		t.running.cancel(errFlushShutdown)
	}
}

// waitIdle waits until no flush is in progress, or ctx ends.
func (t *flushTarget) waitIdle(ctx context.Context) bool {
	t.mu.Lock()
	if t.running == nil {
		t.mu.Unlock()
		return true
	}
	if t.idle == nil {
		t.idle = make(chan struct{})
	}
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return true
	case <-ctx.Done():
		return false
	}
}
