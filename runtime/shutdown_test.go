package runtime_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
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
