package runtime_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

// harness runs runtime.Run against a fake Runtime API for one test.
type harness struct {
	srv    *runtimetest.Server
	cancel context.CancelFunc
	done   chan struct{}
	err    error
	errs   *errorSink
}

// start runs handler with opts against a new server made with srvOpts. The
// runtime's log is discarded and background errors are collected in h.errs.
// The runtime is stopped and the server closed when the test ends.
func start(t *testing.T, handler any, srvOpts []runtimetest.ServerOption, opts ...runtime.Option) *harness {
	t.Helper()
	h := &harness{srv: runtimetest.NewServer(srvOpts...), done: make(chan struct{}), errs: newErrorSink()}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	all := append([]runtime.Option{
		runtime.WithRuntimeAPI(h.srv.Addr()),
		runtime.WithLogger(slog.New(slog.DiscardHandler)),
		runtime.WithErrorHandler(h.errs.add),
		runtime.WithMaxConcurrency(1),
	}, opts...)
	go func() {
		defer close(h.done)
		h.err = runtime.Run(ctx, handler, all...)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(10 * time.Second):
			t.Error("runtime.Run did not return within 10s of the end of the test")
		}
		h.srv.Close()
	})
	return h
}

// wait returns Run's error once it returned, failing the test if it does not
// return before ctx ends.
func (h *harness) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-h.done:
		return h.err
	case <-t.Context().Done():
		t.Fatal("test ended before runtime.Run returned")
	case <-time.After(10 * time.Second):
		t.Fatal("runtime.Run did not return within 10s")
	}
	return nil
}

// stop cancels Run's context and returns its error.
func (h *harness) stop(t *testing.T) error {
	t.Helper()
	h.cancel()
	return h.wait(t)
}

func (h *harness) invoke(t *testing.T, payload string, opts ...runtimetest.InvokeOption) *runtimetest.Result {
	t.Helper()
	res, err := h.srv.Invoke(t.Context(), []byte(payload), opts...)
	require.NoError(t, err)
	return res
}

// errorSink collects the errors given to WithErrorHandler.
type errorSink struct {
	mu   sync.Mutex
	errs []error
	more chan struct{}
}

func newErrorSink() *errorSink { return &errorSink{more: make(chan struct{})} }

func (s *errorSink) add(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, err)
	close(s.more)
	s.more = make(chan struct{})
}

func (s *errorSink) all() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

// waitFor blocks until n errors were reported and returns them.
func (s *errorSink) waitFor(t *testing.T, n int) []error {
	t.Helper()
	errs, err := s.wait(t.Context(), n)
	require.NoError(t, err, "waiting for %d reported errors, got %v", n, errs)
	return errs
}

// wait blocks until n errors were reported or ctx ends.
func (s *errorSink) wait(ctx context.Context, n int) ([]error, error) {
	for {
		s.mu.Lock()
		errs, more := append([]error(nil), s.errs...), s.more
		s.mu.Unlock()
		if len(errs) >= n {
			return errs, nil
		}
		select {
		case <-more:
		case <-ctx.Done():
			return errs, ctx.Err()
		}
	}
}

// errorDoc decodes the error a result reported.
func errorDoc(t *testing.T, res *runtimetest.Result) runtime.ErrorDocument {
	t.Helper()
	require.True(t, res.Failed(), "the invocation did not fail: %s %s", res.Endpoint, res.Body)
	doc, err := res.ErrorDocument()
	require.NoError(t, err)
	return doc
}

func asType[E error](t *testing.T, err error) E {
	t.Helper()
	e, ok := errors.AsType[E](err)
	require.True(t, ok, "error %v (%T) is not a %T", err, err, e)
	return e
}
