package runtimetest

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/lumen-rt/lumen/runtime"
)

// stopTimeout bounds how long the test's cleanup waits for the runtime to
// return before failing the test; it guards against a hang, it measures
// nothing.
const stopTimeout = 10 * time.Second

// Start runs handler on Lumen's runtime ([runtime.Run]) against a new
// [Server] for the length of the test, and returns the server to invoke it
// through. The runtime's log goes to t.Log. opts are passed to runtime.Run
// after Start's own ([runtime.WithRuntimeAPI], [runtime.WithLogger]), so
// they may override the logger.
//
// When the test ends, the runtime is stopped (its context cancelled, in-flight
// invocations finished) and the server closed. If the runtime returns early,
// for example after an init error or a handler panic, [Server.Invoke] returns
// [ErrRuntimeExited] and [Server.Err] holds the runtime's error.
func Start(t testing.TB, handler any, opts ...runtime.Option) *Server {
	t.Helper()
	s := NewServer()
	logs := &testWriter{t: t}
	ctx, cancel := context.WithCancel(t.Context())
	s.exited = make(chan struct{})
	all := append([]runtime.Option{
		runtime.WithRuntimeAPI(s.Addr()),
		runtime.WithLogger(slog.New(slog.NewTextHandler(logs, nil))),
	}, opts...)
	go func() {
		defer close(s.exited)
		s.exitErr = runtime.Run(ctx, handler, all...)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			t.Errorf("runtimetest: the runtime did not stop within %s of the end of the test", stopTimeout)
		}
		logs.close()
		s.Close()
	})
	return s
}

// testWriter sends log lines to t.Log until the test's cleanup closes it;
// later lines are dropped, as t.Log may no longer be called.
type testWriter struct {
	t      testing.TB
	mu     sync.Mutex
	closed bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.t.Log(string(bytes.TrimRight(p, "\n")))
	}
	return len(p), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
}
