package runtime_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

func TestConcurrentWorkers(t *testing.T) {
	t.Parallel()
	const workers = 4
	// Every handler waits until all four run at once: the test only ends
	// if the workers really serve concurrently.
	var arrived sync.WaitGroup
	arrived.Add(workers)
	handler := func(_ context.Context, e event) (string, error) {
		arrived.Done()
		arrived.Wait()
		return "hi " + e.Name, nil
	}
	h := start(t, handler, nil, runtime.WithMaxConcurrency(workers))
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(workers)))

	var wg sync.WaitGroup
	results := make([]*runtimetest.Result, workers)
	for i := range workers {
		wg.Go(func() {
			res, err := h.srv.Invoke(t.Context(), []byte(fmt.Sprintf(`{"name":"w%d"}`, i)))
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = res
		})
	}
	wg.Wait()
	for i, res := range results {
		require.NotNil(t, res)
		require.Equal(t, fmt.Sprintf(`"hi w%d"`, i), string(res.Body))
	}
	require.NoError(t, h.stop(t))
}

// TestConcurrencyFromEnvironment changes the environment: not parallel.
func TestConcurrencyFromEnvironment(t *testing.T) {
	tests := []struct {
		env  string
		opts []runtime.Option
		want int
	}{
		{env: "3", want: 3},
		{env: "garbage", want: 1},
		{env: "0", want: 1},
		{env: "3", opts: []runtime.Option{runtime.WithMaxConcurrency(2)}, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv("AWS_LAMBDA_MAX_CONCURRENCY", tt.env)
			srv := runtimetest.NewServer()
			defer srv.Close()
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				done <- runtime.Run(ctx, func() {}, append([]runtime.Option{runtime.WithRuntimeAPI(srv.Addr())}, tt.opts...)...)
			}()
			require.NoError(t, srv.Await(ctx, runtimetest.Polling(tt.want)))
			cancel()
			require.NoError(t, <-done)
			polls := 0
			for _, r := range srv.Requests() {
				if r.Method == http.MethodGet {
					polls++
				}
			}
			require.Equal(t, tt.want, polls, "workers polling at once")
		})
	}
}

func TestFatalErrorStopsOtherWorkers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{})
	handler := func(_ context.Context, e struct{ Slow bool }) (string, error) {
		if e.Slow {
			close(started)
			<-release
			return "slow done", nil
		}
		return "fast", nil
	}
	h := start(t, handler, nil, runtime.WithMaxConcurrency(3))
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(3)))

	slow := make(chan *runtimetest.Result, 1)
	go func() {
		res, err := h.srv.Invoke(t.Context(), []byte(`{"Slow":true}`))
		if err != nil {
			t.Error(err)
		}
		slow <- res
	}()
	<-started
	res := h.invoke(t, `{"Slow":false}`, runtimetest.WithPostStatus(500, `{"errorType":"InternalServerError"}`))
	require.Equal(t, 500, res.Status)

	// The idle worker stops polling; the busy one finishes its invocation.
	require.NoError(t, h.srv.Await(t.Context(), func(reqs []runtimetest.Request) bool {
		for _, r := range reqs {
			if r.Method == http.MethodGet && r.Status == runtimetest.StatusAbandoned {
				return true
			}
		}
		return false
	}))
	close(release)
	slowRes := <-slow
	require.Equal(t, http.StatusAccepted, slowRes.Status, "the in-flight response was still delivered")
	require.Equal(t, `"slow done"`, string(slowRes.Body))
	apiErr := asType[*runtime.APIError](t, h.wait(t))
	require.Equal(t, 500, apiErr.StatusCode)

	for _, r := range h.srv.Requests() {
		if r.Method == http.MethodGet && r.Seq > slowRes.Seq {
			t.Fatalf("the runtime polled again after the fatal error: %+v", r)
		}
	}
}
