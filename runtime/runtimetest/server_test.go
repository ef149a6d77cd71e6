package runtimetest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

const (
	nextPath = "/2018-06-01/runtime/invocation/next"
	invPath  = "/2018-06-01/runtime/invocation/"
)

// rawRuntime speaks the Runtime API by hand, to test the server without
// Lumen's runtime in the way.
type rawRuntime struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newRaw(t *testing.T, srv *runtimetest.Server) *rawRuntime {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &rawRuntime{t: t, base: srv.URL(), c: &http.Client{Transport: tr}}
}

// next polls for an event; it returns the response and its body.
func (r *rawRuntime) next(ctx context.Context) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+nextPath, nil)
	require.NoError(r.t, err)
	resp, err := r.c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func (r *rawRuntime) mustNext() (*http.Response, []byte) {
	resp, body, err := r.next(r.t.Context())
	require.NoError(r.t, err)
	require.Equal(r.t, http.StatusOK, resp.StatusCode)
	return resp, body
}

// post sends body to …/{id}/{endpoint} and returns the status and answer.
func (r *rawRuntime) post(ctx context.Context, id, endpoint string, body io.Reader, header, trailer http.Header) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+invPath+id+"/"+endpoint, body)
	require.NoError(r.t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	if trailer != nil {
		req.Trailer = trailer
		req.ContentLength = -1
	}
	resp, err := r.c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func (r *rawRuntime) mustPost(id, endpoint, body string) (int, string) {
	status, answer, err := r.post(r.t.Context(), id, endpoint, strings.NewReader(body), nil, nil)
	require.NoError(r.t, err)
	return status, answer
}

// invokeAsync runs Invoke in the background.
func invokeAsync(t *testing.T, srv *runtimetest.Server, payload string, opts ...runtimetest.InvokeOption) <-chan *runtimetest.Result {
	ch := make(chan *runtimetest.Result, 1)
	go func() {
		res, err := srv.Invoke(t.Context(), []byte(payload), opts...)
		if err != nil {
			t.Error(err)
		}
		ch <- res
	}()
	return ch
}

func TestEventHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		srvOpts []runtimetest.ServerOption
		opts    []runtimetest.InvokeOption
		check   func(t *testing.T, h http.Header, handedOver time.Time)
	}{
		{name: "defaults", check: func(t *testing.T, h http.Header, at time.Time) {
			require.Regexp(t, `^00000000-0000-4000-8000-[0-9a-f]{12}$`, h.Get("Lambda-Runtime-Aws-Request-Id"))
			require.Equal(t, runtimetest.DefaultFunctionARN, h.Get("Lambda-Runtime-Invoked-Function-Arn"))
			require.Equal(t, "application/json", h.Get("Content-Type"))
			requireDeadline(t, h, at, runtimetest.DefaultFunctionTimeout)
			for _, name := range []string{"Lambda-Runtime-Trace-Id", "Lambda-Runtime-Client-Context",
				"Lambda-Runtime-Cognito-Identity", "Lambda-Runtime-Aws-Tenant-Id"} {
				require.NotContains(t, h, name)
			}
		}},
		{name: "function timeout", srvOpts: []runtimetest.ServerOption{runtimetest.WithFunctionTimeout(3 * time.Second)},
			check: func(t *testing.T, h http.Header, at time.Time) { requireDeadline(t, h, at, 3*time.Second) }},
		{name: "every header", opts: []runtimetest.InvokeOption{
			runtimetest.WithRequestID("id-1"),
			runtimetest.WithDeadline(time.UnixMilli(1700000000123)),
			runtimetest.WithTraceID("Root=1-2-3"),
			runtimetest.WithFunctionARN("arn:x"),
			runtimetest.WithClientContext(`{"env":{}}`),
			runtimetest.WithCognitoIdentity(`{"cognitoIdentityId":"c"}`),
			runtimetest.WithTenantID("tenant"),
			runtimetest.WithContentType("text/plain"),
			runtimetest.WithHeader("x-custom", "v"),
		}, check: func(t *testing.T, h http.Header, _ time.Time) {
			require.Equal(t, "id-1", h.Get("Lambda-Runtime-Aws-Request-Id"))
			require.Equal(t, "1700000000123", h.Get("Lambda-Runtime-Deadline-Ms"))
			require.Equal(t, "Root=1-2-3", h.Get("Lambda-Runtime-Trace-Id"))
			require.Equal(t, "arn:x", h.Get("Lambda-Runtime-Invoked-Function-Arn"))
			require.Equal(t, `{"env":{}}`, h.Get("Lambda-Runtime-Client-Context"))
			require.Equal(t, `{"cognitoIdentityId":"c"}`, h.Get("Lambda-Runtime-Cognito-Identity"))
			require.Equal(t, "tenant", h.Get("Lambda-Runtime-Aws-Tenant-Id"))
			require.Equal(t, "text/plain", h.Get("Content-Type"))
			require.Equal(t, "v", h.Get("X-Custom"))
		}},
		{name: "removed and malformed headers", opts: []runtimetest.InvokeOption{
			runtimetest.WithHeader("Lambda-Runtime-Deadline-Ms", ""),
			runtimetest.WithHeader("lambda-runtime-invoked-function-arn", ""),
			runtimetest.WithClientContext("{not json"),
		}, check: func(t *testing.T, h http.Header, _ time.Time) {
			require.NotContains(t, h, "Lambda-Runtime-Deadline-Ms")
			require.NotContains(t, h, "Lambda-Runtime-Invoked-Function-Arn")
			require.Equal(t, "{not json", h.Get("Lambda-Runtime-Client-Context"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := runtimetest.NewServer(tt.srvOpts...)
			defer srv.Close()
			raw := newRaw(t, srv)
			results := invokeAsync(t, srv, `{"k":"v"}`, tt.opts...)
			before := time.Now()
			resp, body := raw.mustNext()
			tt.check(t, resp.Header, before)
			require.JSONEq(t, `{"k":"v"}`, string(body))

			id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
			status, answer := raw.mustPost(id, "response", `"ok"`)
			require.Equal(t, http.StatusAccepted, status)
			require.JSONEq(t, `{"status":"OK"}`, answer)
			res := <-results
			require.True(t, res.Delivered)
			require.Equal(t, id, res.RequestID)
			require.Equal(t, runtimetest.EndpointResponse, res.Endpoint)
			require.Equal(t, `"ok"`, string(res.Body))
			require.Equal(t, http.StatusAccepted, res.Status)
			require.Len(t, res.Posts, 1)
		})
	}
}

// requireDeadline checks that the deadline lies timeout after the event was
// handed over (between the GET and its answer).
func requireDeadline(t *testing.T, h http.Header, before time.Time, timeout time.Duration) {
	t.Helper()
	ms, err := strconv.ParseInt(h.Get("Lambda-Runtime-Deadline-Ms"), 10, 64)
	require.NoError(t, err)
	d := time.UnixMilli(ms)
	require.False(t, d.Before(before.Add(timeout).Truncate(time.Millisecond)), "deadline %v before %v", d, before.Add(timeout))
	require.False(t, d.After(time.Now().Add(timeout)), "deadline %v in the future of the answer", d)
}

func TestPostsForUnknownInvocations(t *testing.T) {
	t.Parallel()
	srv := runtimetest.NewServer()
	defer srv.Close()
	raw := newRaw(t, srv)

	status, answer := raw.mustPost("never-delivered", "response", "x")
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, answer, "InvalidRequestID")

	results := invokeAsync(t, srv, `{}`)
	resp, _ := raw.mustNext()
	id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
	status, _ = raw.mustPost(id, "error", `{"errorType":"E","errorMessage":"m"}`)
	require.Equal(t, http.StatusAccepted, status)
	res := <-results
	require.Equal(t, runtimetest.EndpointError, res.Endpoint)
	require.True(t, res.Failed())

	// A second post for a finished invocation is refused.
	status, _ = raw.mustPost(id, "response", "late")
	require.Equal(t, http.StatusBadRequest, status)
	require.Len(t, res.Posts, 1)
}

func TestScriptedPostStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		secondPost int // status of a following /error post
	}{
		{name: "403 ends the invocation", status: 403, secondPost: http.StatusBadRequest},
		{name: "500 ends the invocation", status: 500, secondPost: http.StatusBadRequest},
		{name: "413 leaves room for the error", status: 413, secondPost: http.StatusAccepted},
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
			if tt.status == 413 {
				require.Len(t, res.Posts, 2)
				require.Equal(t, runtimetest.EndpointError, res.Endpoint)
				require.Equal(t, http.StatusAccepted, res.Status)
				return
			}
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
	status, _ = raw.mustPost(id, "response", strings.Repeat("x", 10))
	require.Equal(t, http.StatusAccepted, status, "exactly the limit is accepted")
	res := <-results
	require.Len(t, res.Posts[0].Body, 10, "the refused body is kept up to the limit")
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
