package runtime_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

type setupErr struct{}

func (setupErr) Error() string { return "database unreachable" }

func TestSetup(t *testing.T) {
	t.Parallel()
	errDoc := runtime.ErrorDocument{Message: "chosen", Type: "Function.ConfigMissing"}
	tests := []struct {
		name       string
		hook       func(context.Context) error
		wantHeader string
		wantType   string
		wantMsg    string
		panics     bool
	}{
		{name: "error", hook: func(context.Context) error { return setupErr{} },
			wantHeader: runtime.ErrorTypeSetup, wantType: runtime.ErrorTypeSetup, wantMsg: "database unreachable"},
		{name: "ErrorDocument keeps its type", hook: func(context.Context) error { return errDoc },
			wantHeader: runtime.ErrorTypeSetup, wantType: "Function.ConfigMissing", wantMsg: "chosen"},
		{name: "panic", hook: func(context.Context) error { panic("no config") },
			wantHeader: runtime.ErrorTypeSetupPanic, wantType: "string", wantMsg: "no config", panics: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var handled bool
			h := start(t, func() { handled = true }, nil, runtime.WithSetup(tt.hook))
			err := h.wait(t)
			initErr := asType[*runtime.InitError](t, err)
			require.Equal(t, tt.wantHeader, initErr.Type)
			if tt.panics {
				pe := asType[*runtime.PanicError](t, err)
				require.Equal(t, "no config", pe.Value)
			}
			posts := h.srv.InitErrors()
			require.Len(t, posts, 1)
			require.Equal(t, tt.wantHeader, posts[0].ErrorType)
			doc, err := posts[0].ErrorDocument()
			require.NoError(t, err)
			require.Equal(t, tt.wantType, doc.Type)
			require.Equal(t, tt.wantMsg, doc.Message)
			if tt.panics {
				require.NotEmpty(t, doc.StackTrace)
			}
			require.False(t, handled)
			for _, r := range h.srv.Requests() {
				require.NotEqual(t, "GET", r.Method, "the runtime polled after a failed setup")
			}
		})
	}
}

func TestSetupRunsInOrderBeforeTheFirstPoll(t *testing.T) {
	t.Parallel()
	running := make(chan string)
	release := make(chan struct{})
	hook := func(name string) runtime.Option {
		return runtime.WithSetup(func(ctx context.Context) error {
			running <- name
			<-release
			return ctx.Err()
		})
	}
	h := start(t, func() (string, error) { return "ok", nil }, nil, hook("first"), hook("second"))
	for _, want := range []string{"first", "second"} {
		require.Equal(t, want, <-running)
		require.Empty(t, h.srv.Requests(), "the runtime spoke to the Runtime API during setup")
		release <- struct{}{}
	}
	require.Equal(t, `"ok"`, string(h.invoke(t, `{}`).Body))
}

func TestRunWithoutRuntimeAPI(t *testing.T) {
	t.Setenv("AWS_LAMBDA_RUNTIME_API", "")
	err := runtime.Run(t.Context(), func() {})
	require.ErrorIs(t, err, runtime.ErrNoRuntimeAPI)
}

func TestRunStopsWithItsContext(t *testing.T) {
	t.Parallel()
	h := start(t, func() {}, nil)
	h.invoke(t, `{}`)
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	require.NoError(t, h.stop(t))
}

// TestStartEntryPoints drives the never-returning entry points through a
// replaced os.Exit: not parallel (process-wide state).
func TestStartEntryPoints(t *testing.T) {
	codes := make(chan int, 1)
	defer runtime.SetExit(func(code int) { codes <- code })()
	typed := func(_ context.Context, e event) (reply, error) { return reply{"hi " + e.Name}, nil }
	tests := []struct {
		name  string
		start func(signals chan os.Signal)
		stop  func(srv *runtimetest.Server, signals chan os.Signal)
		code  int
	}{
		{name: "Start exits 1 on a fatal error", start: func(chan os.Signal) { runtime.Start(typed) },
			stop: fatalNext, code: 1},
		{name: "StartHandlerFunc", start: func(chan os.Signal) { runtime.StartHandlerFunc(typed) },
			stop: fatalNext, code: 1},
		{name: "StartWithOptions exits 0 on SIGTERM", start: func(signals chan os.Signal) {
			runtime.StartWithOptions(typed, runtime.WithShutdownSignals(signals), runtime.WithEnableSIGTERM())
		}, stop: func(srv *runtimetest.Server, signals chan os.Signal) { signals <- syscall.SIGTERM }, code: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := runtimetest.NewServer()
			defer srv.Close()
			t.Setenv("AWS_LAMBDA_RUNTIME_API", srv.Addr())
			signals := make(chan os.Signal, 1)
			returned := make(chan struct{})
			go func() {
				defer close(returned)
				tt.start(signals)
			}()
			res, err := srv.Invoke(t.Context(), []byte(`{"name":"Ada"}`))
			require.NoError(t, err)
			require.JSONEq(t, `{"greeting":"hi Ada"}`, string(res.Body))
			tt.stop(srv, signals)
			require.Equal(t, tt.code, <-codes)
			<-returned
		})
	}
	t.Run("no Runtime API", func(t *testing.T) {
		t.Setenv("AWS_LAMBDA_RUNTIME_API", "")
		runtime.Start(func() {})
		require.Equal(t, 1, <-codes)
	})
}

func fatalNext(srv *runtimetest.Server, _ chan os.Signal) {
	res, err := srv.Invoke(context.Background(), []byte(`{}`), runtimetest.WithNextStatus(500))
	if err != nil || res.Delivered {
		panic(errors.Join(errors.New("scripted GET /next failure not served"), err))
	}
}
