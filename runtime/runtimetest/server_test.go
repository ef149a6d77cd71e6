package runtimetest_test

import (
	"context"
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
