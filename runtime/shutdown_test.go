package runtime_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
	"github.com/lumen-rt/lumen/tracing"
)

// orderLog records the order in which shutdown steps ran.
type orderLog struct {
	mu    sync.Mutex
	steps []string
}

func (l *orderLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.steps = append(l.steps, s)
}

func (l *orderLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.steps...)
}

type stepFlusher struct {
	log *orderLog
}

func (f stepFlusher) ForceFlush(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		f.log.add("flush without deadline")
	}
	f.log.add("flush")
	return nil
}

// extensionBeforeFirstPoll checks that the runtime registered its
// extension, and parked on its event stream, before its first GET /next.
func extensionBeforeFirstPoll(t *testing.T, srv *runtimetest.Server) {
	t.Helper()
	exts := srv.Extensions()
	require.Len(t, exts, 1)
	require.Equal(t, "lumen", exts[0].Name)
	var events struct{ Events []string }
	require.NoError(t, json.Unmarshal(exts[0].Events, &events))
	require.Empty(t, events.Events, "the internal extension subscribes to no events")
	firstPoll := 0
	for _, r := range srv.Requests() {
		if r.Path == "/2018-06-01/runtime/invocation/next" {
			firstPoll = r.Seq
			break
		}
	}
	require.Positive(t, firstPoll)
	require.Less(t, exts[0].Seq, firstPoll, "the extension registered after the first GET /next")
}

func TestShutdownSequence(t *testing.T) {
	t.Parallel()
	log := &orderLog{}
	signals := make(chan os.Signal, 1)
	h := start(t, func(e event) (string, error) { return "hi " + e.Name, nil }, nil,
		runtime.WithShutdownSignals(signals),
		runtime.WithEnableSIGTERM(func() { log.add("callback 1") }, func() { log.add("callback 2") }),
		runtime.WithFlusher(stepFlusher{log}),
	)
	require.Equal(t, `"hi Ada"`, string(h.invoke(t, `{"name":"Ada"}`).Body))
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	extensionBeforeFirstPoll(t, h.srv)
	require.Equal(t, []string{"flush"}, log.get(), "one flush after the invocation")

	signals <- syscall.SIGTERM
	require.ErrorIs(t, h.wait(t), runtime.ErrShutdown)
	require.Equal(t, []string{"flush", "callback 1", "callback 2", "flush"}, log.get())
}

// TestShutdownOnRealSIGTERM signals the test process itself. That is safe
// here: the test is not parallel (no other runtime is listening), and the
// signal is sent only once the runtime registered its extension, which
// happens after it subscribed to SIGTERM, so the signal never reaches the
// default handler.
func TestShutdownOnRealSIGTERM(t *testing.T) {
	called := make(chan struct{})
	h := start(t, func() {}, nil, runtime.WithEnableSIGTERM(func() { close(called) }))
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	extensionBeforeFirstPoll(t, h.srv)

	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	require.ErrorIs(t, h.wait(t), runtime.ErrShutdown)
	<-called
}

func TestShutdownExtensionRegistration(t *testing.T) {
	t.Parallel()
	flusher := stepFlusher{&orderLog{}}
	tests := []struct {
		name string
		opts []runtime.Option
		want bool
	}{
		{name: "off by default", want: false},
		{name: "on with a flusher", opts: []runtime.Option{runtime.WithFlusher(flusher)}, want: true},
		{name: "on with WithEnableSIGTERM", opts: []runtime.Option{runtime.WithEnableSIGTERM()}, want: true},
		{name: "turned off", opts: []runtime.Option{runtime.WithFlusher(flusher), runtime.WithShutdownExtension(false)}, want: false},
		{name: "turned on", opts: []runtime.Option{runtime.WithShutdownExtension(true)}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]runtime.Option{runtime.WithShutdownSignals(make(chan os.Signal))}, tt.opts...)
			h := start(t, func() {}, nil, opts...)
			require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
			if !tt.want {
				require.Empty(t, h.srv.Extensions())
				return
			}
			extensionBeforeFirstPoll(t, h.srv)
			// The extension parks on its event stream.
			require.NoError(t, h.srv.Await(t.Context(), func(reqs []runtimetest.Request) bool {
				for _, r := range reqs {
					if r.Path == "/2020-01-01/extension/event/next" && r.Status == 0 &&
						r.Header.Get("Lambda-Extension-Identifier") == h.srv.Extensions()[0].ID {
						return true
					}
				}
				return false
			}))
			require.NoError(t, h.stop(t))
			// Both long polls were given up (the server notices a closed
			// connection shortly after the runtime closed it).
			require.NoError(t, h.srv.Await(t.Context(), func(reqs []runtimetest.Request) bool {
				for _, r := range reqs {
					if r.Method == http.MethodGet && r.Status != runtimetest.StatusAbandoned {
						return false
					}
				}
				return true
			}))
		})
	}
}

// SIGTERM with an invocation in flight: Run returns without waiting for the
// handler (Lambda kills the process about 500 ms after the signal), and the
// invocation's spans and metrics, ended as interrupted, leave with the
// final flush.
func TestShutdownInterruptsInFlightInvocation(t *testing.T) {
	t.Parallel()
	signals := make(chan os.Signal, 1)
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracing.NewFlushProcessor(spans)))
	rec, err := metrics.New(metrics.WithRuntimeCollectors(false))
	require.NoError(t, err)
	started, release := make(chan struct{}), make(chan struct{})
	h := start(t, func(ctx context.Context) error {
		close(started)
		<-release // a handler that outlives the environment
		return nil
	}, nil, runtime.WithShutdownSignals(signals), runtime.WithTracerProvider(tp), runtime.WithMetrics(rec))
	invoked := make(chan error, 1)
	go func() {
		_, err := h.srv.Invoke(context.Background(), []byte(`{}`), runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
		invoked <- err
	}()
	<-started
	signals <- syscall.SIGTERM
	require.ErrorIs(t, h.wait(t), runtime.ErrShutdown, "Run returned while the handler still runs")

	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans.GetSpans() {
		byName[s.Name] = s
	}
	for _, name := range []string{"lambda.invoke", runtime.SpanHandle} {
		s, ok := byName[name]
		require.True(t, ok, "%s was exported by the final flush: %v", name, byName)
		require.Equal(t, codes.Error, s.Status.Code)
		attrs := attribute.NewSet(s.Attributes...)
		v, _ := attrs.Value("lumen.interrupted")
		require.True(t, v.AsBool(), "%s is marked interrupted", name)
		v, _ = attrs.Value("error.type")
		require.Equal(t, runtime.ErrorTypeInterrupted, v.AsString())
	}
	require.Equal(t, 1.0, counterWith(t, rec, "faas_errors_total", "error_type", runtime.ErrorTypeInterrupted))

	close(release)
	h.srv.Close() // the emulator's side of the invocation goes away with the environment
	<-invoked
}

// gate is a flusher blocked until its context ends, until the test opens
// it; it counts what it delivered.
type gate struct {
	open      atomic.Bool
	calls     atomic.Int32
	delivered atomic.Int32
	blocked   chan struct{} // receives once per blocked call
}

func (g *gate) ForceFlush(ctx context.Context) error {
	g.calls.Add(1)
	if !g.open.Load() {
		g.blocked <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}
	g.delivered.Add(1)
	return nil
}

// SIGTERM while a flush is blocked on a dead backend: the flush is
// cancelled and the final flush reaches the backend, which answers again
// from the moment of the signal.
func TestShutdownCancelsABlockedFlush(t *testing.T) {
	t.Parallel()
	signals := make(chan os.Signal, 1)
	g := &gate{blocked: make(chan struct{}, 1)}
	h := start(t, func() {}, nil, runtime.WithShutdownSignals(signals), runtime.WithFlusher(g),
		runtime.WithFlushBudget(time.Minute))
	h.invoke(t, `{}`) // answered before the flush
	<-g.blocked       // the flush after the invocation is blocked
	g.open.Store(true)
	signals <- syscall.SIGTERM
	require.ErrorIs(t, h.wait(t), runtime.ErrShutdown, "the blocked flush did not hold the shutdown for its minute")
	require.Equal(t, int32(1), g.delivered.Load(), "the final flush got through")
}

// An invocation past its deadline when SIGTERM comes is a timeout: Lambda
// resets a timed-out invocation's environment, and that is what interrupts
// it. Its metrics say so.
func TestShutdownAfterTheDeadlineIsATimeout(t *testing.T) {
	t.Parallel()
	signals := make(chan os.Signal, 1)
	rec, err := metrics.New(metrics.WithRuntimeCollectors(false))
	require.NoError(t, err)
	past, release := make(chan struct{}), make(chan struct{})
	h := start(t, func(ctx context.Context) error {
		<-ctx.Done() // the deadline
		close(past)
		<-release
		return nil
	}, nil, runtime.WithShutdownSignals(signals), runtime.WithMetrics(rec), runtime.WithEnableSIGTERM())
	invoked := make(chan error, 1)
	go func() {
		_, err := h.srv.Invoke(context.Background(), []byte(`{}`), runtimetest.WithDeadline(time.Now().Add(20*time.Millisecond)))
		invoked <- err
	}()
	<-past
	signals <- syscall.SIGTERM
	require.ErrorIs(t, h.wait(t), runtime.ErrShutdown)
	require.Equal(t, 1.0, counterWith(t, rec, "faas_errors_total", "error_type", metrics.ErrorTypeTimeout))
	require.Equal(t, 1.0, counterWith(t, rec, "faas_timeouts_total", "faas_trigger", "other"))
	close(release)
	h.srv.Close()
	<-invoked
}
