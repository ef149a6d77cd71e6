package runtime

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

type flusherFunc func(ctx context.Context) error

func (f flusherFunc) ForceFlush(ctx context.Context) error { return f(ctx) }

// reports collects what the flush point reports.
type reports struct {
	mu   sync.Mutex
	errs []error
}

func (r *reports) add(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

func (r *reports) flushErrors(t *testing.T) []*FlushError {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*FlushError, 0, len(r.errs))
	for _, err := range r.errs {
		fe, ok := errors.AsType[*FlushError](err)
		require.True(t, ok, "%v is not a *FlushError", err)
		out = append(out, fe)
	}
	return out
}

// The flush point's timing runs on synctest's fake clock: elapsed times are
// exact, not measured.
func TestFlushPointBudget(t *testing.T) {
	const budget, reserve = 100 * time.Millisecond, 10 * time.Millisecond
	tests := []struct {
		name      string
		deadline  time.Duration // from now; 0 for none
		wantTime  time.Duration // how long the flush point held the loop
		wantError bool
	}{
		{name: "no deadline: the budget", wantTime: budget},
		{name: "far deadline: the budget", deadline: time.Hour, wantTime: budget},
		{name: "near deadline: the deadline less the reserve", deadline: 50 * time.Millisecond, wantTime: 40 * time.Millisecond},
		{name: "deadline passed: no time, the flush is deferred", deadline: -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				release := make(chan struct{})
				defer func() {
					close(release)
					synctest.Wait()
				}()
				sawDeadline := make(chan time.Time, 1)
				stuck := flusherFunc(func(ctx context.Context) error {
					d, _ := ctx.Deadline()
					sawDeadline <- d
					<-release // ignores ctx
					return errors.New("too late to matter")
				})
				rep := &reports{}
				p := newFlushPoint([]Flusher{stuck}, budget, reserve, rep.add)
				defer p.close()

				start := time.Now()
				var deadline time.Time
				if tt.deadline != 0 {
					deadline = start.Add(tt.deadline)
				}
				end := start.Add(tt.wantTime)
				p.afterInvocation(deadline)
				require.Equal(t, tt.wantTime, time.Since(start))
				if tt.deadline < 0 {
					synctest.Wait()
					require.Empty(t, sawDeadline, "no flusher is started without time to run")
					require.Empty(t, rep.flushErrors(t), "a deferred flush is no overrun")
					require.Equal(t, FlushStats{Deferred: 1}, p.Stats())
					return
				}
				require.Equal(t, end, <-sawDeadline)

				errs := rep.flushErrors(t)
				require.Len(t, errs, 1, "the overrun is reported")
				require.True(t, errs[0].Overrun)
				require.ErrorIs(t, errs[0], errFlushAbandoned)
				require.Equal(t, FlushStats{Flushes: 1, Overruns: 1}, p.Stats())
			})
		})
	}
}

// TestFlushPointLateReturn checks that an abandoned flusher's late error is
// not reported a second time.
func TestFlushPointLateReturn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		stuck := flusherFunc(func(context.Context) error {
			<-release
			return errors.New("late failure")
		})
		rep := &reports{}
		p := newFlushPoint([]Flusher{stuck}, time.Second, DefaultFlushReserve, rep.add)
		defer p.close()
		p.afterInvocation(time.Time{})
		close(release)
		synctest.Wait()
		require.Len(t, rep.flushErrors(t), 1)
		require.Equal(t, FlushStats{Flushes: 1, Overruns: 1}, p.Stats())
	})
}

func TestFlushPointOutcomes(t *testing.T) {
	errExport := errors.New("export failed")
	tests := []struct {
		name        string
		flusher     Flusher
		wantErrs    int
		wantOverrun bool
		wantTime    time.Duration
	}{
		{name: "success", flusher: flusherFunc(func(context.Context) error { return nil })},
		{name: "failure is reported once", flusher: flusherFunc(func(context.Context) error { return errExport }),
			wantErrs: 1},
		{name: "panic is a failure", flusher: flusherFunc(func(context.Context) error { panic("exporter bug") }),
			wantErrs: 1},
		{name: "a flusher that honours its context overruns once", flusher: flusherFunc(func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}), wantErrs: 1, wantOverrun: true, wantTime: time.Second},
		{name: "slow but within budget", flusher: flusherFunc(func(context.Context) error {
			time.Sleep(300 * time.Millisecond) // fake time
			return nil
		}), wantTime: 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rep := &reports{}
				p := newFlushPoint([]Flusher{tt.flusher}, time.Second, DefaultFlushReserve, rep.add)
				defer p.close()
				start := time.Now()
				p.afterInvocation(time.Time{})
				require.Equal(t, tt.wantTime, time.Since(start))
				synctest.Wait()
				errs := rep.flushErrors(t)
				require.Len(t, errs, tt.wantErrs)
				for _, fe := range errs {
					require.Equal(t, tt.wantOverrun, fe.Overrun)
					require.Contains(t, fe.Flusher, "runtime.flusherFunc")
				}
			})
		})
	}
}

func TestFlushPointSkipsAnAbandonedFlusher(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var calls atomic.Int32
		stuck := flusherFunc(func(context.Context) error {
			if calls.Add(1) == 1 {
				<-release
			}
			return nil
		})
		var fine atomic.Int32
		rep := &reports{}
		p := newFlushPoint([]Flusher{stuck, flusherFunc(func(context.Context) error { fine.Add(1); return nil })},
			50*time.Millisecond, DefaultFlushReserve, rep.add)
		defer p.close()

		p.afterInvocation(time.Time{}) // abandons the stuck flusher
		start := time.Now()
		p.afterInvocation(time.Time{}) // skips it without waiting, flushes the other
		require.Zero(t, time.Since(start), "a flusher still stuck costs the loop nothing")
		errs := rep.flushErrors(t)
		require.Len(t, errs, 1, "the overrun is reported, the skip while it backs off is only counted")
		require.True(t, errs[0].Overrun)
		require.Equal(t, int32(1), calls.Load())
		require.Equal(t, int32(2), fine.Load())

		close(release) // it gets through after all: healthy again
		synctest.Wait()
		require.Equal(t, int32(2), calls.Load(), "it catches up with the flush it skipped, at once")
		start = time.Now()
		p.afterInvocation(time.Time{}) // it is back, and waited for
		require.Zero(t, time.Since(start))
		require.Equal(t, int32(3), calls.Load())
		require.Len(t, rep.flushErrors(t), 1)
		require.Equal(t, FlushStats{Flushes: 3, Overruns: 1, Skipped: 1, Recoveries: 1}, p.Stats())
	})
}

func TestFlushPointConcurrentFlushes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var calls atomic.Int32
		slow := flusherFunc(func(context.Context) error {
			calls.Add(1)
			<-release
			return nil
		})
		rep := &reports{}
		p := newFlushPoint([]Flusher{slow}, time.Second, DefaultFlushReserve, rep.add)
		defer p.close()

		done := make(chan struct{})
		go func() {
			defer close(done)
			p.afterInvocation(time.Time{})
		}()
		synctest.Wait() // the first worker's flush is running
		second := make(chan struct{})
		go func() {
			defer close(second)
			// A second worker waits for it, then flushes again: its
			// invocation's telemetry may have ended after the first
			// flush drained the flusher.
			p.afterInvocation(time.Time{})
		}()
		synctest.Wait()
		require.Equal(t, int32(1), calls.Load(), "the second flush waits for the first")
		release <- struct{}{}
		<-done
		synctest.Wait()
		require.Equal(t, int32(2), calls.Load(), "then it runs")
		close(release)
		<-second
		require.Empty(t, rep.flushErrors(t), "waiting for a busy flusher is not an error")
		require.Equal(t, FlushStats{Flushes: 2}, p.Stats())

		// A worker whose budget ends while it waits defers its flush.
		release = make(chan struct{})
		defer close(release)
		go p.afterInvocation(time.Time{})
		synctest.Wait()
		start := time.Now()
		p.afterInvocation(time.Now().Add(50 * time.Millisecond))
		require.Equal(t, 50*time.Millisecond-DefaultFlushReserve, time.Since(start))
		require.Equal(t, uint64(1), p.Stats().Deferred)
	})
}

func TestFlushPointWithoutFlushers(t *testing.T) {
	p := newFlushPoint([]Flusher{nil}, time.Second, DefaultFlushReserve, func(error) { t.Error("reported") })
	defer p.close()
	p.afterInvocation(time.Now())
	require.Equal(t, FlushStats{}, p.Stats())
}

func TestFlushErrorMessages(t *testing.T) {
	cause := errors.New("cause")
	tests := []struct {
		err  *FlushError
		want string
	}{
		{err: &FlushError{Flusher: "otlp", Err: cause}, want: "flush otlp failed: cause; backing off"},
		{err: &FlushError{Flusher: "otlp", Overrun: true, Err: cause}, want: "flush otlp overran its budget: cause; backing off"},
		{err: &FlushError{Flusher: "otlp", Skipped: true}, want: "flush otlp skipped: an earlier flush is still running"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.EqualError(t, tt.err, tt.want)
		})
	}
}
