package runtime_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

func TestFlushAfterPostBeforeNextPoll(t *testing.T) {
	t.Parallel()
	flusher := &recordingFlusher{}
	h := start(t, func(e event) (string, error) {
		if e.Name == "" {
			return "", errors.New("no name")
		}
		return "hi " + e.Name, nil
	}, nil, runtime.WithFlusher(flusher), runtime.WithShutdownExtension(false))
	flusher.srv.Store(h.srv)

	results := []*runtimetest.Result{h.invoke(t, `{"name":"Ada"}`), h.invoke(t, `{}`), h.invoke(t, `{"name":"Bo"}`)}
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	calls := flusher.snapshots()
	require.Len(t, calls, len(results), "one flush per invocation")
	reqs := h.srv.Requests()
	for i, res := range results {
		seen := calls[i]
		// At flush time the server had received the post of that invocation
		// and nothing after it...
		last := seen[len(seen)-1]
		require.Equal(t, res.Seq, last.Seq, "flush %d did not follow the post", i)
		require.Equal(t, http.MethodPost, last.Method)
		// ...and the post had been answered: the response was delivered.
		require.Equal(t, http.StatusAccepted, reqs[last.Seq-1].Status)
		// The next request the runtime made is the GET for the next event.
		next := reqs[last.Seq]
		require.Equal(t, http.MethodGet, next.Method)
		require.True(t, strings.HasSuffix(next.Path, "/invocation/next"))
	}
}

// deadlineFlusher records the deadline of every flush.
type deadlineFlusher struct {
	mu        sync.Mutex
	deadlines []time.Time
	budgets   []time.Duration
}

func (f *deadlineFlusher) ForceFlush(ctx context.Context) error {
	d, _ := ctx.Deadline()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deadlines = append(f.deadlines, d)
	f.budgets = append(f.budgets, time.Until(d))
	return nil
}

func TestFlushBudget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		budget   time.Duration
		deadline time.Duration // from now
	}{
		{name: "the configured budget", budget: 200 * time.Millisecond, deadline: time.Hour},
		{name: "capped by the invocation deadline", budget: time.Hour, deadline: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &deadlineFlusher{}
			h := start(t, func() {}, nil, runtime.WithFlusher(f), runtime.WithFlushBudget(tt.budget),
				runtime.WithShutdownExtension(false))
			before := time.Now()
			deadline := time.UnixMilli(before.Add(tt.deadline).UnixMilli())
			h.invoke(t, `{}`, runtimetest.WithDeadline(deadline))
			require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
			f.mu.Lock()
			defer f.mu.Unlock()
			require.Len(t, f.deadlines, 1)
			got := f.deadlines[0]
			require.False(t, got.After(deadline.Add(-runtime.DefaultFlushReserve)),
				"flush deadline %v is past the invocation deadline %v less the reserve", got, deadline)
			require.LessOrEqual(t, f.budgets[0], tt.budget)
			require.True(t, got.After(before), "the flush had no time at all")
		})
	}
}

func TestFlushBudgetFromEnvironment(t *testing.T) {
	tests := []struct {
		env     string
		wantErr string
		max     time.Duration
	}{
		{env: "150ms", max: 150 * time.Millisecond},
		{env: "soon", wantErr: `invalid LUMEN_FLUSH_BUDGET "soon"`},
		{env: "-1s", wantErr: `invalid LUMEN_FLUSH_BUDGET "-1s"`},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv("LUMEN_FLUSH_BUDGET", tt.env)
			f := &deadlineFlusher{}
			h := start(t, func() {}, nil, runtime.WithFlusher(f), runtime.WithShutdownExtension(false))
			if tt.wantErr != "" {
				err := h.wait(t)
				require.ErrorContains(t, err, tt.wantErr)
				require.Equal(t, runtime.ErrorTypeInvalidConfig, asType[*runtime.InitError](t, err).Type)
				cfgErr := asType[*runtime.ConfigError](t, err)
				require.Equal(t, "LUMEN_FLUSH_BUDGET", cfgErr.Variable)
				posts := h.srv.InitErrors()
				require.Len(t, posts, 1)
				require.Equal(t, runtime.ErrorTypeInvalidConfig, posts[0].ErrorType)
				doc, err := posts[0].ErrorDocument()
				require.NoError(t, err)
				require.Equal(t, runtime.ErrorTypeInvalidConfig, doc.Type)
				require.Contains(t, doc.Message, tt.wantErr)
				return
			}
			h.invoke(t, `{}`)
			require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
			f.mu.Lock()
			defer f.mu.Unlock()
			require.LessOrEqual(t, f.budgets[0], tt.max)
		})
	}
}

type namedFlusher struct {
	name string
	err  error
}

func (f namedFlusher) ForceFlush(context.Context) error { return f.err }
func (f namedFlusher) Name() string                     { return f.name }

// stuckFlusher ignores its context until released.
type stuckFlusher struct {
	calls   chan struct{}
	release chan struct{}
	err     error
}

func (f *stuckFlusher) ForceFlush(context.Context) error {
	f.calls <- struct{}{}
	<-f.release
	return f.err
}

func TestFlushFailuresReported(t *testing.T) {
	t.Parallel()
	errExport := errors.New("collector unreachable")
	h := start(t, func() {}, nil, runtime.WithFlusher(namedFlusher{"otlp", errExport}, namedFlusher{name: "fine"}),
		runtime.WithShutdownExtension(false))
	h.invoke(t, `{}`)
	h.invoke(t, `{}`)
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	h.cancel()
	require.NoError(t, h.wait(t)) // every report is handed over once Run returns
	errs := h.errs.all()
	require.Len(t, errs, 1, "a flusher that starts failing is reported once, then backs off")
	for _, err := range errs {
		fe := asType[*runtime.FlushError](t, err)
		require.Equal(t, "otlp", fe.Flusher)
		require.False(t, fe.Overrun)
		require.ErrorIs(t, err, errExport)
	}
}

func TestFlusherIgnoringItsContextDoesNotHoldTheLoop(t *testing.T) {
	t.Parallel()
	stuck := &stuckFlusher{calls: make(chan struct{}, 1), release: make(chan struct{}), err: errors.New("late failure")}
	h := start(t, func(e event) (string, error) { return "hi " + e.Name, nil }, nil,
		runtime.WithFlusher(stuck), runtime.WithFlushBudget(20*time.Millisecond), runtime.WithShutdownExtension(false))
	defer close(stuck.release)

	h.invoke(t, `{"name":"Ada"}`)
	<-stuck.calls
	// The flusher never returns, yet the loop serves the next invocations.
	require.Equal(t, `"hi Bo"`, string(h.invoke(t, `{"name":"Bo"}`).Body))
	require.Equal(t, `"hi Cy"`, string(h.invoke(t, `{"name":"Cy"}`).Body))
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	h.cancel()
	require.NoError(t, h.wait(t)) // every report is handed over once Run returns

	errs := h.errs.all()
	require.Len(t, errs, 1, "later flushes skip the stuck flusher, counted but not reported again")
	first := asType[*runtime.FlushError](t, errs[0])
	require.True(t, first.Overrun, "the first flush overran: %v", errs[0])
}

// TestBlockedErrorHandlerDoesNotHoldTheLoop: the error handler usually
// logs to stdout, and one that blocks (a stdout nobody reads, a stalled
// log pipeline) must not hold the loop: the flush point reports a failing
// flusher and moves on to the next invocation at once.
func TestBlockedErrorHandlerDoesNotHoldTheLoop(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	handed := make(chan error, 8)
	h := start(t, func(e event) (string, error) { return "hi " + e.Name, nil }, nil,
		runtime.WithFlusher(namedFlusher{"otlp", errors.New("collector unreachable")}),
		runtime.WithShutdownExtension(false),
		runtime.WithErrorHandler(func(err error) {
			handed <- err
			<-release
		}))
	defer close(release)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for _, name := range []string{"Ada", "Bo", "Cy"} {
		res, err := h.srv.Invoke(ctx, []byte(`{"name":"`+name+`"}`))
		require.NoError(t, err, "the loop waited for the error handler")
		require.Equal(t, `"hi `+name+`"`, string(res.Body))
	}
	require.ErrorContains(t, <-handed, "collector unreachable")
}
