package e2e_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/runtime"
)

// Managed-instances (LMI) mode runs AWS_LAMBDA_MAX_CONCURRENCY workers,
// passes the caller's X-Amzn-Trace-Id to the runtime and marks failed
// invocations with an Error-Type header. It needs root: rie.StartManaged
// reports its absence through testenv.Missing.

// traceHeader returns a distinct, well-formed X-Ray trace header for i.
func traceHeader(i int) string {
	return fmt.Sprintf("Root=1-6745f0a1-%024x;Parent=%016x;Sampled=1", 0xabc000+i, 0x5ee0+i)
}

// TestManagedConcurrentTraceIDs sends one invoke per worker, each with its
// own trace header, and makes every handler wait until all are running at
// once: each must see its own header in ctx "x-amzn-trace-id", and
// _X_AMZN_TRACE_ID, a process-wide variable, must be left alone when more
// than one invocation runs at a time. With one worker the runtime sets it.
func TestManagedConcurrentTraceIDs(t *testing.T) {
	bin := testfunc(t)
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("AWS_LAMBDA_MAX_CONCURRENCY=%d", workers), func(t *testing.T) {
			// A barrier that never fills fails at the 10 s deadline, not after 30.
			em := rie.StartManaged(t, bin, rie.WithMaxConcurrency(workers), rie.WithTimeout(10))
			replies := make([]*reply, workers)
			responses := make([]*rie.Response, workers)
			errs := make([]error, workers)
			var wg sync.WaitGroup
			for i := range workers {
				wg.Go(func() {
					h := http.Header{rie.HeaderTraceID: {traceHeader(i)}}
					responses[i], errs[i] = em.InvokeJSON(t.Context(), event{Op: "barrier", N: workers}, h)
				})
			}
			wg.Wait()
			instance := ""
			for i := range workers {
				require.NoError(t, errs[i])
				resp := responses[i]
				require.Equal(t, http.StatusOK, resp.Status, "body: %s", resp.Body)
				require.Empty(t, resp.FunctionError(), "body: %s", resp.Body)
				require.NoError(t, json.Unmarshal(resp.Body, &replies[i]))
				tr := replies[i].Trace
				require.NotNil(t, tr)
				require.Equal(t, traceHeader(i), tr.Context, "ctx x-amzn-trace-id of invoke %d", i)
				require.Equal(t, traceHeader(i), tr.Info, "invocation.Info.TraceHeader of invoke %d", i)
				if workers == 1 {
					require.True(t, tr.EnvPresent)
					require.Equal(t, traceHeader(i), tr.Env)
				} else {
					require.False(t, tr.EnvPresent, "_X_AMZN_TRACE_ID set with %d concurrent invocations: %q", workers, tr.Env)
				}
				if instance == "" {
					instance = replies[i].Instance
				}
				require.Equal(t, instance, replies[i].Instance, "one process runs every worker")
			}
		})
	}
}

// TestManagedErrorTypes: every failure reaches the invoker with the runtime's
// typed Lambda-Runtime-Function-Error-Type in the Error-Type header and its
// document in the body, and the process keeps serving (in this mode the
// emulator shuts down when the runtime exits).
func TestManagedErrorTypes(t *testing.T) {
	em := rie.StartManaged(t, testfunc(t), rie.WithMaxConcurrency(2))
	first := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	tests := []struct {
		name       string
		payload    string
		wantHeader string
		wantType   string
	}{
		{name: "typed error", payload: `{"op":"error","message":"bad"}`, wantHeader: "Function.ValidationError", wantType: "ValidationError"},
		{name: "plain error", payload: `{"op":"no-such-op"}`, wantHeader: "Function.ErrorString", wantType: "errorString"},
		{name: "event of the wrong type", payload: `{"op":5}`, wantHeader: runtime.ErrorTypeUnmarshal, wantType: runtime.ErrorTypeUnmarshal},
		{name: "response too large", payload: `{"op":"big","size":7000000}`,
			wantHeader: runtime.ErrorTypeResponseTooLarge, wantType: runtime.ErrorTypeResponseTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := em.Invoke(t.Context(), []byte(tt.payload), nil)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.Status)
			require.Equal(t, tt.wantHeader, resp.Header.Get(rie.HeaderErrorType))
			require.Equal(t, tt.wantType, errorDocument(t, resp).Type)
		})
	}

	last := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`2`)}, nil)
	require.Equal(t, first.Instance, last.Instance)
	select {
	case <-em.Exited():
		t.Fatalf("the emulator exited, so the runtime did:\n%s", em.Output())
	default:
	}
}

// TestManagedContext: the invocation context in managed-instances mode.
func TestManagedContext(t *testing.T) {
	em := rie.StartManaged(t, testfunc(t), rie.WithFunctionName("lumen-lmi"),
		rie.WithEnv("AWS_REGION=eu-central-1", "AWS_ACCOUNT_ID=111122223333"))
	cc, err := rie.EncodeClientContext(map[string]any{"custom": map[string]string{"tenant": "green"}})
	require.NoError(t, err)

	r := invokeOK(t, em, event{Op: "context"}, http.Header{rie.HeaderClientContext: {cc}})
	c := r.Context
	require.Regexp(t, uuidRE, c.RequestID)
	require.Equal(t, c.RequestID, c.InfoRequestID)
	require.Equal(t, "arn:aws:lambda:eu-central-1:111122223333:function:lumen-lmi", c.InvokedFunctionARN)
	require.Equal(t, "lumen-lmi", c.FunctionName)
	require.Equal(t, map[string]string{"tenant": "green"}, c.ClientContext.Custom)
	require.True(t, c.HasDeadline)
	// Managed instances initialise ahead of traffic: no invocation pays for
	// init, so none is a cold start.
	require.Equal(t, "lambda-managed-instances", c.InitializationType)
	require.False(t, c.ColdStart)
}

// TestManagedPanic: the panic reaches the invoker as Function.Panic with the
// document and its stack; then the runtime exits, as aws-lambda-go's does,
// and this mode's emulator shuts down with it (it never re-initialises).
func TestManagedPanic(t *testing.T) {
	em := rie.StartManaged(t, testfunc(t))
	resp := invoke(t, em, event{Op: "panic", Message: "boom"}, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	require.Equal(t, runtime.ErrorTypePanic, resp.Header.Get(rie.HeaderErrorType))
	doc := errorDocument(t, resp)
	require.Equal(t, "testfunc: boom", doc.Message)
	require.NotEmpty(t, doc.StackTrace)
	require.Equal(t, "handle", doc.StackTrace[0].Label)

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	select {
	case <-em.Exited():
	case <-ctx.Done():
		t.Fatalf("the runtime kept running after a panic:\n%s", em.Output())
	}
}

// TestManagedLeavesHostUntouched: the tmpfs and bind mount live in the
// emulator's private mount namespace only.
func TestManagedLeavesHostUntouched(t *testing.T) {
	_, statErr := os.Stat("/var/task/bootstrap")
	existedBefore := statErr == nil
	em := rie.StartManaged(t, testfunc(t))
	invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	_, statErr = os.Stat("/var/task/bootstrap")
	require.Equal(t, existedBefore, statErr == nil, "/var/task/bootstrap appeared on the host")
	f, err := os.Open("/proc/self/mountinfo")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		require.NotContains(t, sc.Text(), "lumen-rie", "the emulator's tmpfs is visible on the host")
		require.False(t, strings.Contains(sc.Text(), " /var/task/bootstrap "), "the bind mount is visible on the host")
	}
	require.NoError(t, sc.Err())
}

// TestManagedTimeout: in managed-instances mode the emulator answers a
// timeout with a Sandbox.Timedout document and leaves the runtime running;
// the handler's late response is refused (410), and the runtime must keep
// serving. With one worker, the next invoke can only be served once that
// worker has posted its late response and polled again.
func TestManagedTimeout(t *testing.T) {
	em := rie.StartManaged(t, testfunc(t), rie.WithMaxConcurrency(1), rie.WithTimeout(1))
	first := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	resp := invoke(t, em, event{Op: "sleep", MS: 1500}, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	require.Equal(t, "Sandbox.Timedout", resp.Header.Get(rie.HeaderErrorType))
	doc := errorDocument(t, resp)
	require.Equal(t, "Sandbox.Timedout", doc.Type)
	require.Equal(t, "Task timed out after 1.00 seconds", doc.Message)

	last := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`2`)}, nil)
	require.Equal(t, first.Instance, last.Instance, "the runtime exited after its late response was refused")
	require.EqualValues(t, 3, last.Invocations)
}
