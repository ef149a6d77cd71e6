package runtime

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// backend is a flusher whose health the test switches: up, failing at once
// (refused, 5xx), or blackholed (it answers only when its context ends).
type backend struct {
	mode       atomic.Int32
	calls      atomic.Int32
	delivered  atomic.Int32
	retryAfter time.Duration
}

const (
	backendUp int32 = iota
	backendFailing
	backendBlackholed
)

type throttled struct{ after time.Duration }

func (e throttled) Error() string             { return "429 Too Many Requests" }
func (e throttled) RetryAfter() time.Duration { return e.after }
func (b *backend) ForceFlush(ctx context.Context) error {
	b.calls.Add(1)
	switch b.mode.Load() {
	case backendFailing:
		if b.retryAfter > 0 {
			return throttled{b.retryAfter}
		}
		return errors.New("503 Service Unavailable")
	case backendBlackholed:
		<-ctx.Done()
		return ctx.Err()
	}
	b.delivered.Add(1)
	return nil
}

// A backend seen failing costs the loop nothing: after the first failure
// the loop never waits for it; it is retried in the background after
// growing delays; the first retry that gets through makes it healthy again.
func TestFlushPointBacksOff(t *testing.T) {
	for _, mode := range []int32{backendFailing, backendBlackholed} {
		name := map[int32]string{backendFailing: "failing", backendBlackholed: "blackholed"}[mode]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const budget = time.Second
				b := &backend{}
				b.mode.Store(mode)
				rep := &reports{}
				p := newFlushPoint([]Flusher{b}, budget, DefaultFlushReserve, rep.add)
				defer p.close()

				start := time.Now()
				p.afterInvocation(time.Time{})
				first := time.Since(start)
				if mode == backendBlackholed {
					require.Equal(t, budget, first, "the first flush finds out by spending its budget")
				} else {
					require.Zero(t, first)
				}
				require.Len(t, rep.flushErrors(t), 1)

				// An invocation every 10 ms for 3 s: none waits for the backend.
				var waited time.Duration
				for range 300 {
					time.Sleep(10 * time.Millisecond)
					s := time.Now()
					p.afterInvocation(time.Time{})
					waited += time.Since(s)
				}
				require.Zero(t, waited, "no invocation waits for a failing backend")
				require.Len(t, rep.flushErrors(t), 1, "the failure is reported once, not at every retry")
				st := p.Stats()
				require.Positive(t, st.Retries)
				if mode == backendFailing {
					// Retries start 100, 200, 400 ms after the previous
					// attempt started, then every 500 ms: at 0.1, 0.3, 0.7,
					// 1.2, 1.7, 2.2 and 2.7 s.
					require.Equal(t, uint64(7), st.Retries)
					require.Equal(t, uint64(1+7), st.Failures, "the first failure and each retry's are counted")
				} else {
					// Each retry spends half the budget, then the next one
					// starts: the first overrun plus every retry but the
					// one still running.
					require.Equal(t, uint64(1)+st.Retries-1, st.Overruns)
				}
				require.Zero(t, b.delivered.Load())

				// The backend heals: flushing resumes within a second.
				b.mode.Store(backendUp)
				healed := time.Now()
				for b.delivered.Load() == 0 {
					time.Sleep(10 * time.Millisecond)
					p.afterInvocation(time.Time{})
				}
				require.LessOrEqual(t, time.Since(healed), time.Second, "delivered again within 1 s of the heal")
				synctest.Wait()
				require.Equal(t, uint64(1), p.Stats().Recoveries)
				calls := b.calls.Load()
				s := time.Now()
				p.afterInvocation(time.Time{})
				require.Equal(t, calls+1, b.calls.Load(), "healthy again: flushed at every invocation")
				require.Zero(t, time.Since(s))
			})
		})
	}
}

func TestFlushPointHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := &backend{retryAfter: 3 * time.Second}
		b.mode.Store(backendFailing)
		p := newFlushPoint([]Flusher{b}, time.Second, DefaultFlushReserve, (&reports{}).add)
		defer p.close()
		p.afterInvocation(time.Time{})
		for range 299 {
			time.Sleep(10 * time.Millisecond)
			p.afterInvocation(time.Time{})
		}
		require.Equal(t, int32(1), b.calls.Load(), "no retry before the 3 s the backend asked for")
		time.Sleep(20 * time.Millisecond)
		p.afterInvocation(time.Time{})
		synctest.Wait()
		require.Equal(t, int32(2), b.calls.Load())
	})
}

func TestRetryTime(t *testing.T) {
	now := time.Unix(0, 0)
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond,
		4: FlushRetryMaxDelay, 60: FlushRetryMaxDelay} {
		require.Equal(t, now.Add(want), retryTime(now, n, errors.New("x")), "after failure %d", n)
	}
	require.Equal(t, now.Add(flushRetryMaxAfter), retryTime(now, 1, throttled{time.Hour}), "a Retry-After is bounded")
	require.Equal(t, now.Add(FlushRetryMaxDelay), retryTime(now, 9, throttled{time.Millisecond}), "never sooner than the backoff")
}

// The final flush at shutdown does not wait behind a retry blocked on a
// dead backend, nor behind another worker's flush: it cancels them, then
// gives every flusher, failing or not, what is left of its time.
func TestFlushPointFinal(t *testing.T) {
	t.Run("a retry in progress", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			b := &backend{}
			b.mode.Store(backendBlackholed)
			p := newFlushPoint([]Flusher{b}, time.Second, DefaultFlushReserve, (&reports{}).add)
			defer p.close()
			p.afterInvocation(time.Time{}) // overruns: backing off
			time.Sleep(FlushRetryMinDelay)
			p.afterInvocation(time.Time{}) // a retry starts, blocked
			synctest.Wait()
			require.Equal(t, int32(2), b.calls.Load())
			b.mode.Store(backendUp) // it answers again from the moment of the signal
			start := time.Now()
			p.final(start.Add(300 * time.Millisecond))
			require.Zero(t, time.Since(start), "the retry is cancelled, the final flush runs at once")
			require.Equal(t, int32(1), b.delivered.Load(), "and reaches the backend")
		})
	})
	t.Run("another worker's flush in progress", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			b := &backend{}
			b.mode.Store(backendBlackholed)
			p := newFlushPoint([]Flusher{b}, time.Second, DefaultFlushReserve, (&reports{}).add)
			defer p.close()
			done := make(chan struct{})
			go func() {
				defer close(done)
				p.afterInvocation(time.Time{}) // holds the turn for its budget
			}()
			synctest.Wait()
			b.mode.Store(backendUp)
			start := time.Now()
			p.final(start.Add(300 * time.Millisecond))
			require.Zero(t, time.Since(start))
			require.Equal(t, int32(1), b.delivered.Load())
			<-done
			require.Zero(t, p.Stats().Overruns, "a flush cancelled for the final one is not an overrun")
		})
	})
	t.Run("a flusher that ignores its context", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			release := make(chan struct{})
			var calls atomic.Int32
			stuck := flusherFunc(func(context.Context) error {
				calls.Add(1)
				<-release
				return nil
			})
			rep := &reports{}
			p := newFlushPoint([]Flusher{stuck}, 50*time.Millisecond, DefaultFlushReserve, rep.add)
			defer p.close()
			p.afterInvocation(time.Time{})
			start := time.Now()
			p.final(start.Add(300 * time.Millisecond))
			require.Equal(t, 300*time.Millisecond, time.Since(start), "bounded by its end")
			require.Equal(t, int32(1), calls.Load())
			errs := rep.flushErrors(t)
			require.True(t, errs[len(errs)-1].Skipped, "reported as skipped")
			close(release)
			synctest.Wait()
		})
	})
}

// slowUp is a backend that takes a while to answer, like one across a
// network, and counts what it was sent: it answers ok after delay, unless
// failing.
type slowUp struct {
	delay     time.Duration
	failing   atomic.Bool
	calls     atomic.Int32
	delivered atomic.Int32
}

func (b *slowUp) ForceFlush(ctx context.Context) error {
	b.calls.Add(1)
	if b.failing.Load() {
		return errors.New("503 Service Unavailable")
	}
	select {
	case <-time.After(b.delay):
		b.delivered.Add(1)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A flush point that skipped a flusher because a background flush of it
// was still running does not leave what it skipped behind: when that flush
// succeeds, the flusher is flushed again at once, in the background, so
// that an invocation whose flush was skipped does not keep its telemetry
// until the next invocation (which may come hours later, after a freeze).
func TestFlushPointCatchesUpAfterBackgroundFlush(t *testing.T) {
	t.Run("a retry that heals", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			b := &slowUp{delay: 20 * time.Millisecond}
			b.failing.Store(true)
			p := newFlushPoint([]Flusher{b}, time.Second, DefaultFlushReserve, (&reports{}).add)
			defer p.close()
			p.afterInvocation(time.Time{}) // fails: backing off
			b.failing.Store(false)
			time.Sleep(FlushRetryMinDelay)
			p.afterInvocation(time.Time{}) // the retry starts, answered in 20 ms
			time.Sleep(5 * time.Millisecond)
			p.afterInvocation(time.Time{}) // skipped: the retry is running
			require.Equal(t, uint64(1), p.Stats().Skipped)
			time.Sleep(time.Second) // no more invocations
			require.Equal(t, uint64(1), p.Stats().Recoveries)
			require.Equal(t, int32(3), b.calls.Load(), "flushed again after the retry got through")
			require.Equal(t, int32(2), b.delivered.Load(), "the skipped invocation's telemetry left")
		})
	})
	t.Run("no flush skipped", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			b := &slowUp{delay: 20 * time.Millisecond}
			b.failing.Store(true)
			p := newFlushPoint([]Flusher{b}, time.Second, DefaultFlushReserve, (&reports{}).add)
			defer p.close()
			p.afterInvocation(time.Time{})
			b.failing.Store(false)
			time.Sleep(FlushRetryMinDelay)
			p.afterInvocation(time.Time{})
			time.Sleep(time.Second)
			require.Equal(t, int32(2), b.calls.Load(), "nothing was skipped: nothing to catch up")
		})
	})
	t.Run("an abandoned flush that gets through", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			release := make(chan struct{})
			var calls atomic.Int32
			f := flusherFunc(func(context.Context) error {
				if calls.Add(1) == 1 {
					<-release // ignores its context, then gets through
				}
				return nil
			})
			p := newFlushPoint([]Flusher{f}, 50*time.Millisecond, DefaultFlushReserve, (&reports{}).add)
			defer p.close()
			p.afterInvocation(time.Time{}) // abandoned at the end of its budget
			p.afterInvocation(time.Time{}) // skipped: still running
			close(release)
			time.Sleep(time.Second)
			require.Equal(t, int32(2), calls.Load(), "flushed again after the abandoned flush got through")
		})
	})
}
