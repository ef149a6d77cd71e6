package runtimetest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

func TestInitErrorsAndExtensions(t *testing.T) {
	t.Parallel()
	srv := runtimetest.NewServer()
	defer srv.Close()
	raw := newRaw(t, srv)
	do := func(ctx context.Context, method, path string, header http.Header, body string) (*http.Response, string, error) {
		req, err := http.NewRequestWithContext(ctx, method, srv.URL()+path, strings.NewReader(body))
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := raw.c.Do(req)
		if err != nil {
			return nil, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, string(b), err
	}

	resp, _, err := do(t.Context(), http.MethodPost, "/2018-06-01/runtime/init/error",
		http.Header{"Lambda-Runtime-Function-Error-Type": {"Runtime.InvalidHandler"}}, `{"errorMessage":"bad","errorType":"Runtime.InvalidHandler"}`)
	require.NoError(t, err)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	inits := srv.InitErrors()
	require.Len(t, inits, 1)
	require.Equal(t, runtimetest.EndpointInit, inits[0].Endpoint)
	require.Equal(t, "Runtime.InvalidHandler", inits[0].ErrorType)
	require.True(t, inits[0].Failed())
	doc, err := inits[0].ErrorDocument()
	require.NoError(t, err)
	require.Equal(t, "bad", doc.Message)

	resp, _, err = do(t.Context(), http.MethodPost, "/2020-01-01/extension/register", nil, `{"events":[]}`)
	require.NoError(t, err)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "a name is required")

	resp, body, err := do(t.Context(), http.MethodPost, "/2020-01-01/extension/register",
		http.Header{"Lambda-Extension-Name": {"probe"}}, `{"events":["SHUTDOWN"]}`)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body, "functionName")
	id := resp.Header.Get("Lambda-Extension-Identifier")
	exts := srv.Extensions()
	require.Len(t, exts, 1)
	require.Equal(t, runtimetest.Extension{Name: "probe", ID: id, Events: []byte(`{"events":["SHUTDOWN"]}`), Seq: exts[0].Seq}, exts[0])

	resp, _, err = do(t.Context(), http.MethodGet, "/2020-01-01/extension/event/next",
		http.Header{"Lambda-Extension-Identifier": {"unknown"}}, "")
	require.NoError(t, err)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	// A known extension parks until it gives up.
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, _, err := do(ctx, http.MethodGet, "/2020-01-01/extension/event/next", http.Header{"Lambda-Extension-Identifier": {id}}, "")
		errc <- err
	}()
	parked := func(status int) func([]runtimetest.Request) bool {
		return func(reqs []runtimetest.Request) bool {
			last := reqs[len(reqs)-1]
			return last.Path == "/2020-01-01/extension/event/next" && last.Status == status &&
				last.Header.Get("Lambda-Extension-Identifier") == id
		}
	}
	require.NoError(t, srv.Await(t.Context(), parked(0)))
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	require.NoError(t, srv.Await(t.Context(), parked(runtimetest.StatusAbandoned)))
}

func TestInvokeEnds(t *testing.T) {
	t.Parallel()
	t.Run("context", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		defer srv.Close()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := srv.Invoke(ctx, []byte(`{}`))
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("close", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		raw := newRaw(t, srv)
		errc := make(chan error, 1)
		go func() {
			_, err := srv.Invoke(t.Context(), []byte(`{}`))
			errc <- err
		}()
		polled := make(chan *http.Response, 1)
		go func() {
			// With the event taken and no answer coming, Close must still
			// return, failing both sides.
			resp, _, _ := raw.next(t.Context())
			polled <- resp
		}()
		require.NoError(t, srv.Await(t.Context(), func(reqs []runtimetest.Request) bool {
			return len(reqs) == 1 && reqs[0].Status == http.StatusOK
		}))
		srv.Close()
		srv.Close() // idempotent
		require.ErrorIs(t, <-errc, runtimetest.ErrClosed)
		<-polled
		_, err := srv.Invoke(t.Context(), []byte(`{}`))
		require.ErrorIs(t, err, runtimetest.ErrClosed)
	})
	t.Run("close answers parked polls", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.NewServer()
		raw := newRaw(t, srv)
		polled := make(chan int, 1)
		go func() {
			resp, _, err := raw.next(t.Context())
			if err != nil {
				polled <- 0
				return
			}
			polled <- resp.StatusCode
		}()
		require.NoError(t, srv.Await(t.Context(), runtimetest.Polling(1)))
		srv.Close()
		require.Contains(t, []int{0, http.StatusServiceUnavailable}, <-polled)
	})
}

func TestRecordOff(t *testing.T) {
	t.Parallel()
	srv := runtimetest.NewServer(runtimetest.WithoutRecord())
	defer srv.Close()
	raw := newRaw(t, srv)
	results := invokeAsync(t, srv, `{}`)
	resp, _ := raw.mustNext()
	raw.mustPost(resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), "response", "ok")
	res := <-results
	require.Equal(t, "ok", string(res.Body))
	require.Zero(t, res.Seq)
	require.Empty(t, srv.Requests())
}

func TestInvokeConcurrentSafe(t *testing.T) {
	t.Parallel()
	srv := runtimetest.NewServer()
	defer srv.Close()
	const workers, invocations = 4, 64
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	worker := func() {
		raw := newRaw(t, srv)
		for {
			resp, body, err := raw.next(ctx)
			if err != nil {
				return // stopped
			}
			id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
			if _, _, err := raw.post(ctx, id, "response", bytes.NewReader(append([]byte(id+":"), body...)), nil, nil); err != nil {
				return
			}
		}
	}
	done := make(chan struct{})
	for range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			worker()
		}()
	}
	results := make(chan error, invocations)
	for i := range invocations {
		go func() {
			payload := strconv.Itoa(i)
			res, err := srv.Invoke(t.Context(), []byte(payload))
			if err == nil && string(res.Body) != res.RequestID+":"+payload {
				err = io.ErrUnexpectedEOF
			}
			results <- err
		}()
	}
	for range invocations {
		require.NoError(t, <-results)
	}
	cancel()
	for range workers {
		<-done
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			require.Equal(t, http.StatusAccepted, r.Status)
			posts++
		}
	}
	require.Equal(t, invocations, posts)
}
