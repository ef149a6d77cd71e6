package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/runtime"
)

// The emulator's classic mode crashes on overlapping invokes: every test in
// this file invokes sequentially (rie.Emulator.Invoke also serialises them).

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestClassicEcho(t *testing.T) {
	em := rie.StartClassic(t, testfunc(t))
	tests := []struct {
		name string
		data string
	}{
		{name: "object", data: `{"a":1,"b":[true,null,"x"]}`},
		{name: "string with escapes and unicode", data: `"<é \"ü\" \u2028 😀>"`},
		{name: "number", data: `12345678901234567890`},
		{name: "array", data: `[1,2,3]`},
		{name: "empty object", data: `{}`},
		{name: "64 KiB string", data: `"` + strings.Repeat("ab", 32<<10) + `"`},
	}
	instance := ""
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(tt.data)}, nil)
			require.JSONEq(t, tt.data, string(r.Echo))
			// One process serves every invocation, in order.
			if instance == "" {
				instance = r.Instance
			}
			require.Equal(t, instance, r.Instance)
			require.EqualValues(t, i+1, r.Invocations)
		})
	}
}

func TestClassicContext(t *testing.T) {
	const timeout = 7
	em := rie.StartClassic(t, testfunc(t), rie.WithFunctionName("lumen-e2e"), rie.WithTimeout(timeout))
	cc, err := rie.EncodeClientContext(map[string]any{
		"client": map[string]string{"installation_id": "inst-1", "app_title": "Lumen", "app_version_code": "42", "app_package_name": "dev.lumen"},
		"env":    map[string]string{"platform": "linux"},
		"custom": map[string]string{"tenant": "blue"},
	})
	require.NoError(t, err)

	tests := []struct {
		name          string
		header        http.Header
		wantCold      bool
		wantTitle     string
		wantCustom    map[string]string
		wantEnvCustom map[string]string
	}{
		{name: "first invocation, with client context", header: http.Header{rie.HeaderClientContext: {cc}},
			wantCold: true, wantTitle: "Lumen", wantCustom: map[string]string{"tenant": "blue"}, wantEnvCustom: map[string]string{"platform": "linux"}},
		{name: "second invocation, without client context"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			r := invokeOK(t, em, event{Op: "context"}, tt.header)
			after := time.Now()
			c := r.Context
			require.NotNil(t, c)

			require.Regexp(t, uuidRE, c.RequestID)
			require.False(t, seen[c.RequestID], "request id %s reused", c.RequestID)
			seen[c.RequestID] = true
			require.Equal(t, c.RequestID, c.InfoRequestID, "invocation.Info and lambdacontext disagree")

			// Classic mode hard-codes the account and region.
			require.Equal(t, "arn:aws:lambda:us-east-1:012345678912:function:lumen-e2e", c.InvokedFunctionARN)
			require.Equal(t, "lumen-e2e", c.FunctionName, "lambdacontext.FunctionName")
			require.Equal(t, "lumen-e2e", c.FunctionNameEnv)

			// The emulator sets Lambda-Runtime-Deadline-Ms to now + timeout
			// when it takes the invoke, in whole milliseconds.
			require.True(t, c.HasDeadline)
			lo := before.Add(timeout*time.Second - time.Millisecond).UnixMilli()
			hi := after.Add(timeout * time.Second).UnixMilli()
			require.GreaterOrEqual(t, c.DeadlineMS, lo)
			require.LessOrEqual(t, c.DeadlineMS, hi)

			require.Equal(t, tt.wantCold, c.ColdStart)
			// Classic mode leaves AWS_LAMBDA_INITIALIZATION_TYPE unset (Lambda
			// sets "on-demand"); the runtime treats both alike.
			require.Empty(t, c.InitializationType)
			require.Equal(t, tt.wantTitle, c.ClientContext.Client.AppTitle)
			if tt.wantTitle != "" {
				require.Equal(t, "inst-1", c.ClientContext.Client.InstallationID)
				require.Equal(t, "42", c.ClientContext.Client.AppVersionCode)
				require.Equal(t, "dev.lumen", c.ClientContext.Client.AppPackageName)
			}
			require.Equal(t, tt.wantCustom, c.ClientContext.Custom)
			require.Equal(t, tt.wantEnvCustom, c.ClientContext.Env)
		})
	}
}

// TestClassicFunctionErrors: a failed invocation answers with the error
// document and leaves the process serving. The emulator answers 200 without
// X-Amz-Function-Error (it drops every response header), so in classic mode
// the body is the only evidence.
func TestClassicFunctionErrors(t *testing.T) {
	em := rie.StartClassic(t, testfunc(t))
	first := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	tests := []struct {
		name        string
		payload     string
		wantType    string
		wantMessage string
	}{
		{name: "returned typed error", payload: `{"op":"error","message":"bad input"}`,
			wantType: "ValidationError", wantMessage: "validation failed: bad input"},
		{name: "returned plain error", payload: `{"op":"no-such-op"}`,
			wantType: "errorString", wantMessage: "unknown op no-such-op"},
		{name: "event of the wrong type", payload: `{"op":5}`,
			wantType: runtime.ErrorTypeUnmarshal, wantMessage: "invalid event JSON"},
		{name: "event that is not JSON", payload: `not json`,
			wantType: runtime.ErrorTypeUnmarshal, wantMessage: "invalid event JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := em.Invoke(t.Context(), []byte(tt.payload), nil)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.Status)
			doc := errorDocument(t, resp)
			require.Equal(t, tt.wantType, doc.Type)
			require.Contains(t, doc.Message, tt.wantMessage)
			require.Empty(t, doc.StackTrace)
		})
	}

	last := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`2`)}, nil)
	require.Equal(t, first.Instance, last.Instance, "a function error must not restart the runtime")
}

// TestClassicPanic: a panic is reported with its stack, then the process
// exits as aws-lambda-go's does; the emulator re-runs init on the next
// invoke, which is served by a new process.
func TestClassicPanic(t *testing.T) {
	em := rie.StartClassic(t, testfunc(t))
	before := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	resp := invoke(t, em, event{Op: "panic", Message: "boom"}, nil)
	// The emulator answers 502 when the runtime exits right after posting the
	// error, and sometimes 200: it races the exit. Lambda answers 200 plus
	// X-Amz-Function-Error. The body is the runtime's document either way.
	require.Contains(t, []int{http.StatusOK, http.StatusBadGateway}, resp.Status)
	doc := errorDocument(t, resp)
	require.Equal(t, "testfunc: boom", doc.Message)
	require.Equal(t, "string", doc.Type, "aws-lambda-go's errorType for a panic value: its Go type")
	require.NotEmpty(t, doc.StackTrace)
	require.Equal(t, rie.StackFrame{Path: "testfunc/main.go", Line: doc.StackTrace[0].Line, Label: "handle"}, doc.StackTrace[0],
		"the first frame is the panicking function")
	require.Positive(t, doc.StackTrace[0].Line)

	after := invokeOK(t, em, event{Op: "context"}, nil)
	require.NotEqual(t, before.Instance, after.Instance, "the panicked process kept serving")
	require.EqualValues(t, 1, after.Invocations)
	require.True(t, after.Context.ColdStart, "the new process's first invocation is a cold start")
}

// TestClassicResponseTooLarge: a response over Lambda's 6 MB limit fails the
// invocation with Function.ResponseSizeTooLarge and the process keeps
// serving; a response just under the limit goes through.
func TestClassicResponseTooLarge(t *testing.T) {
	em := rie.StartClassic(t, testfunc(t))
	first := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	// testfunc's reply adds 56 bytes of JSON around "big" (a one-digit
	// invocation count), leaving the body 44 bytes under the limit.
	under := 6 * 1024 * 1024
	require.Less(t, under+56, runtime.MaxResponseSize)

	r := invokeOK(t, em, event{Op: "big", Size: under}, nil)
	require.Len(t, r.Big, under)
	require.Equal(t, first.Instance, r.Instance)

	for _, size := range []int{runtime.MaxResponseSize, 7_000_000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			resp := invoke(t, em, event{Op: "big", Size: size}, nil)
			require.Equal(t, http.StatusOK, resp.Status)
			doc := errorDocument(t, resp)
			require.Equal(t, runtime.ErrorTypeResponseTooLarge, doc.Type)
			require.Contains(t, doc.Message, fmt.Sprint(runtime.MaxResponseSize))
		})
	}

	last := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`2`)}, nil)
	require.Equal(t, first.Instance, last.Instance, "the runtime restarted after an oversized response")
	require.EqualValues(t, 5, last.Invocations, "every invocation reached the same process")
}

// TestClassicNoErrorPostAfter413 raises the runtime's own limit so
// that it uploads a 7 MB response and the Runtime API answers 413. The
// invoker gets Function.ResponseSizeTooLarge and the process keeps serving.
// The 413 already ends the invocation: the runtime must not post
// /invocation/{id}/error afterwards, which the emulator refuses ("State
// transition is not allowed", 403 InvalidStateTransition) and the runtime then
// reports as a Runtime API failure.
func TestClassicNoErrorPostAfter413(t *testing.T) {
	em := rie.StartClassic(t, testfunc(t), rie.WithEnv("TESTFUNC_MAX_RESPONSE_SIZE=100000000"))
	first := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	resp := invoke(t, em, event{Op: "big", Size: 7_000_000}, nil)
	require.Equal(t, http.StatusOK, resp.Status)
	require.Equal(t, runtime.ErrorTypeResponseTooLarge, errorDocument(t, resp).Type)

	last := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`2`)}, nil)
	require.Equal(t, first.Instance, last.Instance, "the runtime restarted after a 413")

	require.False(t, strings.Contains(em.Output(), "State transition is not allowed"),
		"runtime bug: after a 413 on /response the runtime posted /error for an invocation that was already over (see the emulator's output)")
}

// TestClassicTimeout: a handler that outlives its deadline is stopped by the
// emulator, which answers with its timeout message and starts a new process
// for the next invoke.
func TestClassicTimeout(t *testing.T) {
	em := rie.StartClassic(t, testfunc(t), rie.WithTimeout(1))
	before := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)

	resp := invoke(t, em, event{Op: "sleep", MS: 10_000}, nil)
	// The emulator answers 200 with plain text, no request id and no
	// function-error header; Lambda answers a Sandbox.Timedout document.
	require.Equal(t, http.StatusOK, resp.Status)
	require.Equal(t, "Task timed out after 1.00 seconds", string(resp.Body))

	after := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`2`)}, nil)
	require.NotEqual(t, before.Instance, after.Instance, "the timed-out process kept serving")
}

// TestClassicInitError: an init failure reaches the invoker as the document
// the runtime posted to /runtime/init/error, with HTTP 502; the emulator
// re-runs init for every invoke, and the runtime reports it every time.
func TestClassicInitError(t *testing.T) {
	bin := testfunc(t)
	tests := []struct {
		name        string
		init        string
		wantType    string
		wantMessage string
	}{
		{name: "invalid handler signature", init: "invalid-handler",
			wantType: runtime.ErrorTypeInvalidHandler, wantMessage: "invalid handler: handler takes 3 arguments, at most two are allowed"},
		{name: "failing setup hook", init: "setup-error",
			wantType: runtime.ErrorTypeSetup, wantMessage: "testfunc: setup refused to start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			em := rie.StartClassic(t, bin, rie.WithEnv("TESTFUNC_INIT="+tt.init))
			for range 2 {
				resp := invoke(t, em, event{Op: "echo"}, nil)
				require.Equal(t, http.StatusBadGateway, resp.Status)
				doc := errorDocument(t, resp)
				require.Equal(t, tt.wantType, doc.Type)
				require.Equal(t, tt.wantMessage, doc.Message)
			}
		})
	}
}

// TestClassicShutdown: with runtime.WithEnableSIGTERM the runtime registers
// its internal extension before the first GET /next, so that the emulator,
// shutting down, sends SIGTERM and the callbacks run; without it the
// emulator kills the runtime with SIGKILL.
func TestClassicShutdown(t *testing.T) {
	bin := testfunc(t)
	tests := []struct {
		name          string
		env           []string
		wantExtension bool
		wantCallback  bool
	}{
		{name: "WithEnableSIGTERM", env: []string{"TESTFUNC_SIGTERM=1"}, wantExtension: true, wantCallback: true},
		{name: "telemetry registers it by default", wantExtension: true},
		{name: "without telemetry, no extension", env: []string{"LUMEN_METRICS_EXPORTER=none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			em := rie.StartClassic(t, bin, rie.WithEnv(tt.env...))
			r := invokeOK(t, em, event{Op: "echo", Data: json.RawMessage(`1`)}, nil)
			em.Stop()
			out := em.Output()
			callback := "testfunc: SIGTERM callback ran in instance " + r.Instance
			if tt.wantCallback {
				require.Contains(t, out, callback)
			} else {
				require.NotContains(t, out, "SIGTERM callback ran")
			}
			if tt.wantExtension {
				require.Regexp(t, `Internal agent lumen \([0-9a-f-]+\) registered`, out)
				return
			}
			require.NotContains(t, out, "Internal agent lumen")
			require.Contains(t, out, "Sending SIGKILL to runtime")
		})
	}
}
