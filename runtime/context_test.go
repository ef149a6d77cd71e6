package runtime_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

type ctxKey struct{}

// observed is what a handler saw in its context.
type observed struct {
	deadline    time.Time
	hasDeadline bool
	lc          *lambdacontext.LambdaContext
	info        *invocation.Info
	traceValue  any
	traceEnv    string
	custom      any
}

func observer(got chan<- observed) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		var o observed
		o.deadline, o.hasDeadline = ctx.Deadline()
		o.lc, _ = lambdacontext.FromContext(ctx)
		o.info, _ = invocation.FromContext(ctx)
		o.traceValue = ctx.Value("x-amzn-trace-id")
		o.traceEnv = os.Getenv("_X_AMZN_TRACE_ID")
		o.custom = ctx.Value(ctxKey{})
		got <- o
		return nil
	}
}

func TestInvocationContext(t *testing.T) {
	t.Parallel()
	got := make(chan observed, 2)
	h := start(t, observer(got), nil, runtime.WithContextValue(ctxKey{}, "custom value"))

	deadline := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli())
	const (
		arn   = "arn:aws:lambda:eu-west-1:123456789012:function:greet:live"
		trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	)
	h.invoke(t, `{}`,
		runtimetest.WithRequestID("req-1"),
		runtimetest.WithDeadline(deadline),
		runtimetest.WithFunctionARN(arn),
		runtimetest.WithTraceID(trace),
		runtimetest.WithTenantID("tenant-7"),
		runtimetest.WithCognitoIdentity(`{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}`),
		runtimetest.WithClientContext(`{"client":{"installation_id":"inst","app_title":"app","app_version_code":"3","app_package_name":"pkg"},`+
			`"env":{"locale":"en"},"custom":{"s":"text","n":42}}`),
	)
	o := <-got
	require.True(t, o.hasDeadline)
	require.True(t, o.deadline.Equal(deadline), "deadline %v, want %v", o.deadline, deadline)
	require.NotNil(t, o.lc)
	require.Equal(t, "req-1", o.lc.AwsRequestID)
	require.Equal(t, arn, o.lc.InvokedFunctionArn)
	require.Equal(t, "tenant-7", o.lc.TenantID)
	require.Equal(t, lambdacontext.CognitoIdentity{CognitoIdentityID: "id-1", CognitoIdentityPoolID: "pool-1"}, o.lc.Identity)
	require.Equal(t, lambdacontext.ClientApplication{InstallationID: "inst", AppTitle: "app", AppVersionCode: "3", AppPackageName: "pkg"},
		o.lc.ClientContext.Client)
	require.Equal(t, map[string]string{"locale": "en"}, o.lc.ClientContext.Env)
	require.Equal(t, map[string]string{"s": "text", "n": "42"}, o.lc.ClientContext.Custom)
	require.Equal(t, trace, o.traceValue)
	require.Equal(t, "custom value", o.custom)
	require.NotNil(t, o.info)
	require.Same(t, o.lc, &o.info.Lambda, "invocation.Info and lambdacontext share one LambdaContext")
	require.Equal(t, trace, o.info.TraceHeader)
	require.Equal(t, "application/json", o.info.ContentType)
	require.True(t, o.info.Deadline.Equal(deadline))

	// Only the first invocation is a cold start; a missing trace header
	// travels as an empty value.
	h.invoke(t, `{}`, runtimetest.WithRequestID("req-2"))
	o2 := <-got
	require.Equal(t, "req-2", o2.lc.AwsRequestID)
	require.Empty(t, o2.traceValue)
	require.Empty(t, o2.lc.TenantID)
	require.True(t, o.info.ColdStart != o2.info.ColdStart, "exactly one cold start")
}

func TestColdStartFollowsInitializationType(t *testing.T) {
	tests := []struct {
		initType string
		want     bool
	}{
		{initType: "", want: true},
		{initType: "on-demand", want: true},
		{initType: "provisioned-concurrency", want: false},
		{initType: "snap-start", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.initType, func(t *testing.T) {
			t.Setenv("AWS_LAMBDA_INITIALIZATION_TYPE", tt.initType)
			got := make(chan observed, 1)
			start(t, observer(got), nil).invoke(t, `{}`)
			require.Equal(t, tt.want, (<-got).info.ColdStart)
		})
	}
}

// TestTraceIDEnvironment changes the process environment: not parallel.
func TestTraceIDEnvironment(t *testing.T) {
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	tests := []struct {
		name        string
		concurrency int
		wantEnv     string
	}{
		{name: "one invocation at a time sets _X_AMZN_TRACE_ID", concurrency: 1, wantEnv: trace},
		{name: "concurrent invocations leave it alone", concurrency: 2, wantEnv: "unchanged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("_X_AMZN_TRACE_ID", "unchanged")
			got := make(chan observed, 1)
			h := start(t, observer(got), nil, runtime.WithMaxConcurrency(tt.concurrency))
			h.invoke(t, `{}`, runtimetest.WithTraceID(trace))
			o := <-got
			require.Equal(t, tt.wantEnv, o.traceEnv)
			require.Equal(t, trace, o.traceValue, "the context always carries the trace header")
			require.NoError(t, h.stop(t))
		})
	}
}

func TestInvalidInvocationHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opt      runtimetest.InvokeOption
		wantType string
		wantMsg  string
	}{
		{name: "missing deadline", opt: runtimetest.WithHeader("Lambda-Runtime-Deadline-Ms", ""),
			wantType: runtime.ErrorTypeInvalidDeadline, wantMsg: "missing"},
		{name: "garbage deadline", opt: runtimetest.WithHeader("Lambda-Runtime-Deadline-Ms", "soon"),
			wantType: runtime.ErrorTypeInvalidDeadline, wantMsg: `invalid syntax`},
		{name: "deadline in seconds", opt: runtimetest.WithHeader("Lambda-Runtime-Deadline-Ms", "1700000000"),
			wantType: runtime.ErrorTypeInvalidDeadline, wantMsg: "not a plausible epoch time"},
		{name: "negative deadline", opt: runtimetest.WithHeader("Lambda-Runtime-Deadline-Ms", "-5"),
			wantType: runtime.ErrorTypeInvalidDeadline, wantMsg: "not a plausible epoch time"},
		{name: "garbage client context", opt: runtimetest.WithClientContext(`{"client":`),
			wantType: runtime.ErrorTypeInvalidClientContext, wantMsg: "Lambda-Runtime-Client-Context"},
		{name: "client context of the wrong shape", opt: runtimetest.WithClientContext(`["a"]`),
			wantType: runtime.ErrorTypeInvalidClientContext, wantMsg: "cannot unmarshal array"},
		{name: "garbage cognito identity", opt: runtimetest.WithCognitoIdentity(`not json`),
			wantType: runtime.ErrorTypeInvalidIdentity, wantMsg: "Lambda-Runtime-Cognito-Identity"},
		{name: "cognito identity of the wrong shape", opt: runtimetest.WithCognitoIdentity(`{"cognitoIdentityId":7}`),
			wantType: runtime.ErrorTypeInvalidIdentity, wantMsg: "cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			h := start(t, func(e event) (string, error) { calls.Add(1); return "hi " + e.Name, nil }, nil)
			res := h.invoke(t, `{"name":"Ada"}`, tt.opt)
			require.Equal(t, runtimetest.EndpointError, res.Endpoint)
			require.Equal(t, tt.wantType, res.ErrorType)
			doc := errorDoc(t, res)
			require.Equal(t, tt.wantType, doc.Type)
			require.Contains(t, doc.Message, tt.wantMsg)
			require.Zero(t, calls.Load(), "the handler ran for an invocation with an invalid header")

			// The loop keeps serving.
			res = h.invoke(t, `{"name":"Bo"}`)
			require.Equal(t, `"hi Bo"`, string(res.Body))
			require.NoError(t, h.stop(t))
		})
	}
}

func TestEventWithoutRequestID(t *testing.T) {
	t.Parallel()
	h := start(t, func(e event) (string, error) { return "hi " + e.Name, nil }, nil)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		// The runtime cannot answer: stop waiting once it said so.
		if _, err := h.errs.wait(ctx, 1); err == nil {
			cancel()
		}
	}()
	_, err := h.srv.Invoke(ctx, []byte(`{"name":"Ada"}`), runtimetest.WithRequestID(""))
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, h.errs.all()[0], "without Lambda-Runtime-Aws-Request-Id")

	res := h.invoke(t, `{"name":"Bo"}`)
	require.Equal(t, `"hi Bo"`, string(res.Body))
}
