package runtime_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

// recordingFlusher remembers, for every call, the requests the server had
// received by then.
type recordingFlusher struct {
	srv   atomic.Pointer[runtimetest.Server] // set once the runtime runs
	mu    sync.Mutex
	calls [][]runtimetest.Request
	err   error
}

func (f *recordingFlusher) ForceFlush(context.Context) error {
	reqs := f.srv.Load().Requests()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, reqs)
	return f.err
}

func (f *recordingFlusher) snapshots() [][]runtimetest.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]runtimetest.Request(nil), f.calls...)
}

func panicker() { panic("boom") }

func TestPanic(t *testing.T) {
	t.Parallel()
	errValue := errors.New("an error value")
	tests := []struct {
		name      string
		handler   func()
		wantType  string
		wantMsg   string
		wantValue any
		header    string
	}{
		{name: "string", handler: panicker, wantType: "string", wantMsg: "boom", wantValue: "boom", header: runtime.ErrorTypePanic},
		{name: "error value", handler: func() { panic(errValue) }, wantType: "errorString", wantMsg: "an error value",
			wantValue: errValue, header: runtime.ErrorTypePanic},
		{name: "InvokeResponse_Error value", handler: func() { panic(messages.InvokeResponse_Error{Message: "chosen", Type: "Function.Chosen"}) },
			wantType: "Function.Chosen", wantMsg: "chosen", header: "Function.Chosen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			flusher := &recordingFlusher{}
			h := start(t, tt.handler, nil, runtime.WithFlusher(flusher), runtime.WithShutdownExtension(false))
			flusher.srv.Store(h.srv)
			res := h.invoke(t, `{}`)
			require.Equal(t, runtimetest.EndpointError, res.Endpoint)
			require.Equal(t, tt.header, res.ErrorType)
			doc := errorDoc(t, res)
			require.Equal(t, tt.wantType, doc.Type)
			require.Equal(t, tt.wantMsg, doc.Message)

			err := h.wait(t)
			pe := asType[*runtime.PanicError](t, err)
			if tt.wantValue != nil {
				require.Equal(t, tt.wantValue, pe.Value)
				require.NotEmpty(t, pe.Stack)
				require.Equal(t, doc.StackTrace, pe.Stack)
			}

			// The flush point ran after the error was posted.
			calls := flusher.snapshots()
			require.Len(t, calls, 1)
			last := calls[0][len(calls[0])-1]
			require.Equal(t, res.Seq, last.Seq)
		})
	}
}

func TestPanicStack(t *testing.T) {
	t.Parallel()
	h := start(t, panicker, nil)
	res := h.invoke(t, `{}`)
	doc := errorDoc(t, res)
	require.NotEmpty(t, doc.StackTrace)
	require.LessOrEqual(t, len(doc.StackTrace), 32)
	top := doc.StackTrace[0]
	require.Equal(t, "panicker", top.Label, "the first frame is the function that panicked")
	require.True(t, strings.HasSuffix(top.Path, "runtime/panic_test.go"), top.Path)
	require.Positive(t, top.Line)
	asType[*runtime.PanicError](t, h.wait(t))

	// The X-Ray cause carries the stack too.
	cause := decodeCause(t, res)
	require.Equal(t, "panicker", cause.Exceptions[0].Stack[0].Label)
	require.Contains(t, cause.Paths, top.Path)
}

func TestPanicWithConcurrentInvocationInFlight(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{})
	handler := func(_ context.Context, e struct{ Panic bool }) (string, error) {
		if e.Panic {
			panic("boom")
		}
		close(started)
		<-release
		return "finished", nil
	}
	h := start(t, handler, nil, runtime.WithMaxConcurrency(2))
	slow := make(chan *runtimetest.Result)
	go func() {
		res, err := h.srv.Invoke(t.Context(), []byte(`{"Panic":false}`))
		if err != nil {
			t.Error(err)
		}
		slow <- res
	}()
	<-started
	res := h.invoke(t, `{"Panic":true}`)
	require.Equal(t, runtime.ErrorTypePanic, res.ErrorType)
	close(release)
	require.Equal(t, `"finished"`, string((<-slow).Body), "the in-flight invocation finished")
	asType[*runtime.PanicError](t, h.wait(t))
}
