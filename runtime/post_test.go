package runtime_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

// sized returns a handler answering a JSON string of n bytes (quotes
// included) for an event {"n":…}.
func sized(_ context.Context, e struct{ N int }) (string, error) {
	return strings.Repeat("x", e.N-2), nil
}

func TestResponseTooLarge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		srvOpts []runtimetest.ServerOption
		invoke  []runtimetest.InvokeOption
		kept    int // bytes of the refused body the server kept
	}{
		{name: "the Runtime API enforces its limit", srvOpts: []runtimetest.ServerOption{runtimetest.WithResponseLimit(1000)}, kept: 1000},
		{name: "a scripted 413", kept: 2000, invoke: []runtimetest.InvokeOption{runtimetest.WithPostStatus(http.StatusRequestEntityTooLarge,
			`{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, sized, tt.srvOpts)
			res := h.invoke(t, `{"n":2000}`, tt.invoke...)
			require.Len(t, res.Posts, 1, "the 413 ends the invocation: no /error follows")
			require.Equal(t, runtimetest.EndpointResponse, res.Endpoint)
			require.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
			require.Len(t, res.Posts[0].Body, tt.kept)
			for _, r := range h.srv.Requests() {
				require.False(t, strings.HasSuffix(r.Path, "/error"), "an /error followed the 413: %+v", r)
			}

			// The next invocation works.
			res = h.invoke(t, `{"n":10}`)
			require.Equal(t, `"xxxxxxxx"`, string(res.Body))
			require.NoError(t, h.stop(t))
		})
	}
}

func TestResponseOverLimitNeverUploaded(t *testing.T) {
	t.Parallel()
	h := start(t, sized, nil, runtime.WithMaxResponseSize(100))
	res := h.invoke(t, `{"n":101}`)
	require.Len(t, res.Posts, 1)
	require.Equal(t, runtimetest.EndpointError, res.Endpoint)
	require.Equal(t, runtime.ErrorTypeResponseTooLarge, res.ErrorType)
	require.Contains(t, errorDoc(t, res).Message, "response of 101 bytes exceeds Lambda's limit of 100 bytes")
	for _, r := range h.srv.Requests() {
		require.False(t, strings.HasSuffix(r.Path, "/response"), "the oversized response was uploaded: %+v", r)
	}
	// Exactly at the limit is fine.
	res = h.invoke(t, `{"n":100}`)
	require.Len(t, res.Body, 100)
}

func TestFatalRuntimeAPIAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		handler    any
		opt        runtimetest.InvokeOption
		wantStatus int
		wantPath   string
	}{
		{name: "500 on /response", handler: func() (string, error) { return "ok", nil },
			opt:        runtimetest.WithPostStatus(500, `{"errorType":"InternalServerError","errorMessage":"broken"}`),
			wantStatus: 500, wantPath: "/response"},
		{name: "500 on /error", handler: func() error { return errPlain },
			opt:        runtimetest.WithPostStatus(500, `{"errorType":"InternalServerError","errorMessage":"broken"}`),
			wantStatus: 500, wantPath: "/error"},
		{name: "502 on /response", handler: func() (string, error) { return "ok", nil },
			opt: runtimetest.WithPostStatus(502, ``), wantStatus: 502, wantPath: "/response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, tt.handler, nil)
			res := h.invoke(t, `{}`, tt.opt)
			require.Equal(t, tt.wantStatus, res.Status)
			apiErr := asType[*runtime.APIError](t, h.wait(t))
			require.Equal(t, tt.wantStatus, apiErr.StatusCode)
			require.Equal(t, http.MethodPost, apiErr.Method)
			require.True(t, strings.HasSuffix(apiErr.URL, tt.wantPath), apiErr.URL)
			require.True(t, apiErr.Fatal())
			if tt.wantStatus == 500 {
				require.Equal(t, "InternalServerError", apiErr.Type)
				require.Equal(t, "broken", apiErr.Message)
			}
			for _, r := range h.srv.Requests()[res.Seq:] {
				require.NotEqual(t, http.MethodGet, r.Method, "the runtime polled again after a 5xx")
			}
		})
	}
}

var errPlain = errorString("plain")

type errorString string

func (e errorString) Error() string { return string(e) }

func TestRefusedPostsAreReported(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler any
		status  int
	}{
		{name: "400 on /response", handler: func() (string, error) { return "ok", nil }, status: 400},
		{name: "403 on /response", handler: func() (string, error) { return "ok", nil }, status: 403},
		{name: "400 on /error", handler: func() error { return errPlain }, status: 400},
		{name: "403 on /error", handler: func() error { return errPlain }, status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, tt.handler, nil)
			res := h.invoke(t, `{}`, runtimetest.WithPostStatus(tt.status, `{"errorType":"InvalidStateTransition","errorMessage":"no"}`))
			require.Equal(t, tt.status, res.Status)
			errs := h.errs.waitFor(t, 1)
			apiErr := asType[*runtime.APIError](t, errs[0])
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, "InvalidStateTransition", apiErr.Type)
			require.False(t, apiErr.Fatal())
			require.Contains(t, errs[0].Error(), res.RequestID)

			// The loop goes on.
			res = h.invoke(t, `{}`)
			require.Equal(t, http.StatusAccepted, res.Status)
			require.Len(t, h.errs.all(), 1)
			require.NoError(t, h.stop(t))
		})
	}
}

func TestNextFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
	}{
		{name: "500", status: 500},
		{name: "403", status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls int
			h := start(t, func() { calls++ }, nil)
			res := h.invoke(t, `{}`, runtimetest.WithNextStatus(tt.status))
			require.False(t, res.Delivered)
			require.Equal(t, tt.status, res.NextStatus)
			apiErr := asType[*runtime.APIError](t, h.wait(t))
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, http.MethodGet, apiErr.Method)
			require.Zero(t, calls)
		})
	}
}

func TestDroppedConnections(t *testing.T) {
	t.Parallel()
	t.Run("post", func(t *testing.T) {
		t.Parallel()
		h := start(t, func() (string, error) { return "ok", nil }, nil)
		res := h.invoke(t, `{}`, runtimetest.WithDroppedPost())
		require.True(t, res.Dropped)
		require.Equal(t, `"ok"`, string(res.Body), "the server read the post before dropping it")
		err := h.wait(t)
		require.Error(t, err)
		require.ErrorContains(t, err, "runtime API POST")
		_, isAPI := errors.AsType[*runtime.APIError](err)
		require.False(t, isAPI, "a transport error, not a Runtime API answer")
	})
	t.Run("first GET", func(t *testing.T) {
		t.Parallel()
		h := start(t, func() (string, error) { return "ok", nil }, nil)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() {
			<-h.done
			cancel()
		}()
		_, err := h.srv.Invoke(ctx, []byte(`{}`), runtimetest.WithDroppedNext())
		require.ErrorIs(t, err, context.Canceled, "the event is never delivered")
		require.ErrorContains(t, h.wait(t), "runtime API GET next")
	})
	t.Run("GET on a kept-alive connection is retried", func(t *testing.T) {
		t.Parallel()
		h := start(t, func() (string, error) { return "ok", nil }, nil)
		h.invoke(t, `{}`)
		res := h.invoke(t, `{}`, runtimetest.WithDroppedNext())
		require.Equal(t, `"ok"`, string(res.Body))
	})
}
