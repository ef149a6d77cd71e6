package runtime_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/handlertrace"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

type event struct {
	Name string `json:"name"`
}

type reply struct {
	Greeting string `json:"greeting"`
}

// rawEcho is a raw Handler: no JSON on either side.
type rawEcho struct{}

func (rawEcho) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	return append([]byte("raw:"), payload...), nil
}

func TestHandlerForms(t *testing.T) {
	t.Parallel()
	// seen records what each handler received: the event's name, and
	// whether its context carried the invocation.
	type seen struct {
		name    string
		withCtx bool
	}
	hasDeadline := func(ctx context.Context) bool { _, ok := ctx.Deadline(); return ok }
	tests := []struct {
		name        string
		handler     func(got *seen) any
		wantBody    string
		wantCT      string
		wantName    string
		wantContext bool
	}{
		{name: "func()", handler: func(*seen) any { return func() {} }, wantBody: "null", wantCT: "application/json"},
		{name: "func(TIn)", handler: func(s *seen) any { return func(e event) { s.name = e.Name } },
			wantBody: "null", wantCT: "application/json", wantName: "Ada"},
		{name: "func() error", handler: func(*seen) any { return func() error { return nil } },
			wantBody: "null", wantCT: "application/json"},
		{name: "func(TIn) error", handler: func(s *seen) any { return func(e event) error { s.name = e.Name; return nil } },
			wantBody: "null", wantCT: "application/json", wantName: "Ada"},
		{name: "func() (TOut, error)", handler: func(*seen) any { return func() (reply, error) { return reply{"hi"}, nil } },
			wantBody: `{"greeting":"hi"}`, wantCT: "application/json"},
		{name: "func(TIn) (TOut, error)", handler: func(s *seen) any {
			return func(e event) (reply, error) { s.name = e.Name; return reply{"hi " + e.Name}, nil }
		}, wantBody: `{"greeting":"hi Ada"}`, wantCT: "application/json", wantName: "Ada"},
		{name: "func(context.Context)", handler: func(s *seen) any {
			return func(ctx context.Context) { s.withCtx = hasDeadline(ctx) }
		}, wantBody: "null", wantCT: "application/json", wantContext: true},
		{name: "func(context.Context) error", handler: func(s *seen) any {
			return func(ctx context.Context) error { s.withCtx = hasDeadline(ctx); return nil }
		}, wantBody: "null", wantCT: "application/json", wantContext: true},
		{name: "func(context.Context) (TOut, error)", handler: func(s *seen) any {
			return func(ctx context.Context) (*reply, error) { s.withCtx = hasDeadline(ctx); return &reply{"ctx"}, nil }
		}, wantBody: `{"greeting":"ctx"}`, wantCT: "application/json", wantContext: true},
		{name: "func(context.Context, TIn)", handler: func(s *seen) any {
			return func(ctx context.Context, e event) { s.name, s.withCtx = e.Name, hasDeadline(ctx) }
		}, wantBody: "null", wantCT: "application/json", wantName: "Ada", wantContext: true},
		{name: "func(context.Context, TIn) error", handler: func(s *seen) any {
			return func(ctx context.Context, e *event) error { s.name, s.withCtx = e.Name, hasDeadline(ctx); return nil }
		}, wantBody: "null", wantCT: "application/json", wantName: "Ada", wantContext: true},
		{name: "func(context.Context, TIn) (TOut, error)", handler: func(s *seen) any {
			return func(ctx context.Context, e map[string]any) (string, error) {
				s.name, s.withCtx = e["name"].(string), hasDeadline(ctx)
				return "hi " + s.name, nil
			}
		}, wantBody: `"hi Ada"`, wantCT: "application/json", wantName: "Ada", wantContext: true},
		{name: "func(any) counts as an event", handler: func(s *seen) any {
			return func(e any) (any, error) { s.name = e.(map[string]any)["name"].(string); return e, nil }
		}, wantBody: `{"name":"Ada"}`, wantCT: "application/json", wantName: "Ada"},
		{name: "raw Handler", handler: func(*seen) any { return rawEcho{} },
			wantBody: `raw:{"name":"Ada"}`, wantCT: "application/octet-stream"},
		{name: "StartHandlerFunc's typed form", handler: func(s *seen) any {
			return typed(func(ctx context.Context, e event) (reply, error) {
				s.name, s.withCtx = e.Name, hasDeadline(ctx)
				return reply{"typed " + e.Name}, nil
			})
		}, wantBody: `{"greeting":"typed Ada"}`, wantCT: "application/json", wantName: "Ada", wantContext: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := &seen{}
			h := start(t, tt.handler(got), nil)
			res := h.invoke(t, `{"name":"Ada"}`)
			require.Equal(t, runtimetest.EndpointResponse, res.Endpoint)
			require.Equal(t, http.StatusAccepted, res.Status)
			require.Equal(t, tt.wantBody, string(res.Body))
			require.Equal(t, tt.wantCT, res.ContentType)
			require.Equal(t, tt.wantName, got.name)
			require.Equal(t, tt.wantContext, got.withCtx)
		})
	}
}

// typed converts a handler the way StartHandlerFunc does before running it.
func typed[TIn, TOut any, H runtime.HandlerFunc[TIn, TOut]](h H) any {
	return (func(context.Context, TIn) (TOut, error))(h)
}

// namedHandler is a named type in StartHandlerFunc's type set.
type namedHandler func(context.Context, event) (reply, error)

func TestHandlerFuncNamedType(t *testing.T) {
	t.Parallel()
	var h namedHandler = func(_ context.Context, e event) (reply, error) { return reply{"named " + e.Name}, nil }
	res := start(t, typed[event, reply](h), nil).invoke(t, `{"name":"Bo"}`)
	require.JSONEq(t, `{"greeting":"named Bo"}`, string(res.Body))
}

func TestInvalidHandler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler any
		reason  string
	}{
		{name: "nil", handler: nil, reason: "handler is nil"},
		{name: "not a function", handler: 42, reason: "handler kind int is not func"},
		{name: "three arguments", handler: func(context.Context, event, int) error { return nil }, reason: "takes 3 arguments"},
		{name: "two arguments, first not a context", handler: func(event, event) error { return nil }, reason: "not context.Context"},
		{name: "interface that is not a context", handler: func(error) error { return nil }, reason: "not context.Context"},
		{name: "three returns", handler: func() (int, int, error) { return 0, 0, nil }, reason: "returns 3 values"},
		{name: "second return not an error", handler: func() (int, int) { return 0, 0 }, reason: "second does not implement error"},
		{name: "single return not an error", handler: func() int { return 0 }, reason: "single value, but it does not implement error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, tt.handler, nil)
			err := h.wait(t)
			initErr := asType[*runtime.InitError](t, err)
			require.Equal(t, runtime.ErrorTypeInvalidHandler, initErr.Type)
			require.ErrorContains(t, asType[*runtime.InvalidHandlerError](t, err), tt.reason)

			posts := h.srv.InitErrors()
			require.Len(t, posts, 1)
			require.Equal(t, runtime.ErrorTypeInvalidHandler, posts[0].ErrorType)
			doc, err := posts[0].ErrorDocument()
			require.NoError(t, err)
			require.Equal(t, runtime.ErrorTypeInvalidHandler, doc.Type)
			require.Contains(t, doc.Message, tt.reason)
			for _, r := range h.srv.Requests() {
				require.NotEqual(t, "GET", r.Method, "the runtime polled for events after an init error")
			}
		})
	}
}

func TestJSONOptions(t *testing.T) {
	t.Parallel()
	echoMap := func(_ context.Context, e map[string]any) (map[string]any, error) { return e, nil }
	numberType := func(_ context.Context, e map[string]any) (string, error) { return fmt.Sprintf("%T", e["n"]), nil }
	tests := []struct {
		name     string
		handler  any
		opts     []runtime.Option
		payload  string
		wantBody string
		wantErr  string
	}{
		{name: "HTML not escaped by default", handler: echoMap, payload: `{"a":"<b>&</b>"}`, wantBody: `{"a":"<b>&</b>"}`},
		{name: "escape HTML", handler: echoMap, opts: []runtime.Option{runtime.WithSetEscapeHTML(true)},
			payload: `{"a":"<b>&</b>"}`, wantBody: `{"a":"\u003cb\u003e\u0026\u003c/b\u003e"}`},
		{name: "indent keeps the trailing newline", handler: echoMap, opts: []runtime.Option{runtime.WithSetIndent(">", "  ")},
			payload: `{"a":1}`, wantBody: "{\n>  \"a\": 1\n>}\n"},
		{name: "numbers are float64 by default", handler: numberType, payload: `{"n":12345678901234567890}`, wantBody: `"float64"`},
		{name: "use number", handler: numberType, opts: []runtime.Option{runtime.WithUseNumber(true)},
			payload: `{"n":12345678901234567890}`, wantBody: `"json.Number"`},
		{name: "unknown fields allowed by default", handler: func(e event) (string, error) { return e.Name, nil },
			payload: `{"name":"Ada","extra":1}`, wantBody: `"Ada"`},
		{name: "disallow unknown fields", handler: func(e event) (string, error) { return e.Name, nil },
			opts: []runtime.Option{runtime.WithDisallowUnknownFields(true)}, payload: `{"name":"Ada","extra":1}`,
			wantErr: `json: unknown field "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := start(t, tt.handler, nil, tt.opts...).invoke(t, tt.payload)
			if tt.wantErr != "" {
				require.Equal(t, runtime.ErrorTypeUnmarshal, res.ErrorType)
				require.Contains(t, errorDoc(t, res).Message, tt.wantErr)
				return
			}
			require.Equal(t, runtimetest.EndpointResponse, res.Endpoint)
			require.Equal(t, tt.wantBody, string(res.Body))
		})
	}
}

func TestHandlerTrace(t *testing.T) {
	t.Parallel()
	var gotReq, gotResp any
	trace := handlertrace.HandlerTrace{
		RequestEvent:  func(_ context.Context, e any) { gotReq = e },
		ResponseEvent: func(_ context.Context, r any) { gotResp = r },
	}
	handler := func(_ context.Context, e event) (reply, error) { return reply{"hi " + e.Name}, nil }
	h := start(t, handler, nil, runtime.WithContext(handlertrace.NewContext(context.Background(), trace)))
	h.invoke(t, `{"name":"Ada"}`)
	require.Equal(t, event{Name: "Ada"}, gotReq)
	require.Equal(t, reply{"hi Ada"}, gotResp)
}

func TestUnmarshalErrorKeepsServing(t *testing.T) {
	t.Parallel()
	h := start(t, func(e event) (string, error) { return "hi " + e.Name, nil }, nil)
	for _, payload := range []string{`{"name":`, `[1,2]`, `{"name":42}`} {
		res := h.invoke(t, payload)
		require.Equal(t, runtimetest.EndpointError, res.Endpoint, payload)
		require.Equal(t, runtime.ErrorTypeUnmarshal, res.ErrorType)
		doc := errorDoc(t, res)
		require.Equal(t, runtime.ErrorTypeUnmarshal, doc.Type)
		require.False(t, doc.ShouldExit)
	}
	res := h.invoke(t, `{"name":"Ada"}`)
	require.Equal(t, `"hi Ada"`, string(res.Body))
}

func TestMarshalError(t *testing.T) {
	t.Parallel()
	h := start(t, func() (any, error) { return func() {}, nil }, nil)
	res := h.invoke(t, `{}`)
	require.Equal(t, runtime.ErrorTypeMarshal, res.ErrorType)
	require.Equal(t, runtime.ErrorTypeMarshal, errorDoc(t, res).Type)
	require.NoError(t, h.stop(t))
}
