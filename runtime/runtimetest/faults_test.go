package runtimetest_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

func TestScriptedPostStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		secondPost int // status of a following /error post
	}{
		{name: "403 ends the invocation", status: 403, secondPost: http.StatusBadRequest},
		{name: "500 ends the invocation", status: 500, secondPost: http.StatusBadRequest},
		{name: "413 ends the invocation", status: 413, secondPost: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := runtimetest.NewServer()
			defer srv.Close()
			raw := newRaw(t, srv)
			results := invokeAsync(t, srv, `{}`, runtimetest.WithPostStatus(tt.status, `{"errorType":"Scripted"}`))
			resp, _ := raw.mustNext()
			id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
			status, answer := raw.mustPost(id, "response", "first")
			require.Equal(t, tt.status, status)
			require.JSONEq(t, `{"errorType":"Scripted"}`, answer)
			status, _ = raw.mustPost(id, "error", `{"errorType":"Function.ResponseSizeTooLarge"}`)
			require.Equal(t, tt.secondPost, status)
			res := <-results
			require.Equal(t, "first", string(res.Posts[0].Body))
			require.Len(t, res.Posts, 1)
			require.Equal(t, tt.status, res.Status)
		})
	}
}

func TestResponseLimit(t *testing.T) {
	t.Parallel()
	srv := runtimetest.NewServer(runtimetest.WithResponseLimit(10))
	defer srv.Close()
	raw := newRaw(t, srv)

	results := invokeAsync(t, srv, `{}`)
	resp, _ := raw.mustNext()
	id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
	status, answer := raw.mustPost(id, "response", strings.Repeat("x", 11))
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.JSONEq(t, `{"errorType":"RequestEntityTooLarge","errorMessage":"Exceeded maximum allowed payload size (10 bytes)."}`, answer)
	res := <-results
	require.Len(t, res.Posts, 1, "the 413 ends the invocation")
	require.Len(t, res.Posts[0].Body, 10, "the refused body is kept up to the limit")
	status, _ = raw.mustPost(id, "response", strings.Repeat("x", 10))
	require.Equal(t, http.StatusBadRequest, status, "a post after the 413 is refused")

	results = invokeAsync(t, srv, `{}`)
	resp, _ = raw.mustNext()
	id = resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
	status, _ = raw.mustPost(id, "response", strings.Repeat("x", 10))
	require.Equal(t, http.StatusAccepted, status, "exactly the limit is accepted")
	res = <-results
	require.Len(t, res.Body, 10)

	// Streamed responses are not held to the buffered limit.
	results = invokeAsync(t, srv, `{}`)
	resp, _ = raw.mustNext()
	id = resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
	status, _, err := raw.post(t.Context(), id, "response", strings.NewReader(strings.Repeat("y", 100)),
		http.Header{"Lambda-Runtime-Function-Response-Mode": {"streaming"}}, http.Header{})
	require.NoError(t, err)
	require.Equal(t, http.StatusAccepted, status)
	res = <-results
	require.True(t, res.Streamed)
	require.True(t, res.Chunked)
	require.Len(t, res.Body, 100)
}

// trailerReader sets a trailer once its body is read.
type trailerReader struct {
	r       io.Reader
	trailer http.Header
	set     map[string]string
}

func (t *trailerReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err == io.EOF {
		for k, v := range t.set {
			t.trailer.Set(k, v)
		}
	}
	return n, err
}

func TestStreamTrailers(t *testing.T) {
	t.Parallel()
	srv := runtimetest.NewServer()
	defer srv.Close()
	raw := newRaw(t, srv)
	results := invokeAsync(t, srv, `{}`)
	resp, _ := raw.mustNext()
	id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")

	doc := `{"errorMessage":"broke","errorType":"Broken"}`
	trailer := http.Header{"Lambda-Runtime-Function-Error-Type": nil, "Lambda-Runtime-Function-Error-Body": nil}
	body := &trailerReader{r: strings.NewReader("partial"), trailer: trailer, set: map[string]string{
		"Lambda-Runtime-Function-Error-Type": "Function.Broken",
		"Lambda-Runtime-Function-Error-Body": base64.StdEncoding.EncodeToString([]byte(doc)),
	}}
	status, _, err := raw.post(t.Context(), id, "response", body,
		http.Header{"Lambda-Runtime-Function-Response-Mode": {"streaming"}}, trailer)
	require.NoError(t, err)
	require.Equal(t, http.StatusAccepted, status)

	res := <-results
	require.Equal(t, "partial", string(res.Body))
	require.True(t, res.Streamed)
	require.True(t, res.Failed())
	require.Equal(t, "Function.Broken", res.ErrorType)
	got, err := res.ErrorDocument()
	require.NoError(t, err)
	require.Equal(t, "broke", got.Message)
	require.Equal(t, "Broken", got.Type)
}

func TestErrorDocumentOfSuccess(t *testing.T) {
	t.Parallel()
	p := runtimetest.Post{Endpoint: runtimetest.EndpointResponse, Body: []byte(`"ok"`)}
	require.False(t, p.Failed())
	_, err := p.ErrorDocument()
	require.ErrorContains(t, err, "reported no error")

	p = runtimetest.Post{Endpoint: runtimetest.EndpointError, Body: []byte(`not json`)}
	_, err = p.ErrorDocument()
	require.ErrorContains(t, err, "error document")
}

func TestNextFaults(t *testing.T) {
	t.Parallel()
	t.Run("status", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		defer srv.Close()
		raw := newRaw(t, srv)
		results := invokeAsync(t, srv, `{}`, runtimetest.WithNextStatus(http.StatusForbidden))
		resp, body, err := raw.next(t.Context())
		require.NoError(t, err)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, string(body), "errorType")
		res := <-results
		require.False(t, res.Delivered)
		require.Equal(t, http.StatusForbidden, res.NextStatus)
		require.Empty(t, res.Posts)
	})
	t.Run("dropped", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		defer srv.Close()
		raw := newRaw(t, srv)
		results := invokeAsync(t, srv, `{"n":1}`, runtimetest.WithDroppedNext())
		_, _, err := raw.next(t.Context())
		require.Error(t, err, "the connection was closed without an answer")
		resp, body := raw.mustNext()
		require.JSONEq(t, `{"n":1}`, string(body), "delivered on the next GET")
		raw.mustPost(resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), "response", "ok")
		require.True(t, (<-results).Delivered)
	})
	t.Run("delay abandoned by the runtime", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		defer srv.Close()
		raw := newRaw(t, srv)
		results := invokeAsync(t, srv, `{"n":2}`, runtimetest.WithNextDelay(time.Hour))
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() {
			_, _, err := raw.next(ctx)
			errc <- err
		}()
		require.NoError(t, srv.Await(t.Context(), runtimetest.Polling(1)))
		cancel()
		require.ErrorIs(t, <-errc, context.Canceled)
		require.NoError(t, srv.Await(t.Context(), func(reqs []runtimetest.Request) bool {
			return len(reqs) == 1 && reqs[0].Status == runtimetest.StatusAbandoned
		}))
		// The event was not lost, and the delay is spent.
		resp, body := raw.mustNext()
		require.JSONEq(t, `{"n":2}`, string(body))
		raw.mustPost(resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), "response", "ok")
		require.Equal(t, "ok", string((<-results).Body))
	})
}

func TestPostFaults(t *testing.T) {
	t.Parallel()
	t.Run("dropped", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		defer srv.Close()
		raw := newRaw(t, srv)
		results := invokeAsync(t, srv, `{}`, runtimetest.WithDroppedPost())
		resp, _ := raw.mustNext()
		_, _, err := raw.post(t.Context(), resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), "response",
			strings.NewReader("lost"), nil, nil)
		require.Error(t, err)
		res := <-results
		require.True(t, res.Dropped)
		require.Equal(t, "lost", string(res.Body))
	})
	t.Run("delay abandoned by the runtime", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		defer srv.Close()
		raw := newRaw(t, srv)
		results := invokeAsync(t, srv, `{}`, runtimetest.WithPostDelay(time.Hour))
		resp, _ := raw.mustNext()
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			// Give up once the server holds the post.
			if srv.Await(ctx, func(reqs []runtimetest.Request) bool { return len(reqs) == 2 }) == nil {
				cancel()
			}
		}()
		_, _, err := raw.post(ctx, resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), "response", strings.NewReader("slow"), nil, nil)
		require.ErrorIs(t, err, context.Canceled)
		res := <-results
		require.Equal(t, runtimetest.StatusAbandoned, res.Status)
		require.Equal(t, "slow", string(res.Body))
	})
	t.Run("short delay", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		defer srv.Close()
		raw := newRaw(t, srv)
		results := invokeAsync(t, srv, `{}`, runtimetest.WithPostDelay(time.Millisecond), runtimetest.WithNextDelay(time.Millisecond))
		resp, _ := raw.mustNext()
		status, _ := raw.mustPost(resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), "response", "ok")
		require.Equal(t, http.StatusAccepted, status)
		require.Equal(t, http.StatusAccepted, (<-results).Status)
	})
}
