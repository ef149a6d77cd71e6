package remotewrite

import (
	"context"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
)

// flushBudget is the context a flush gets in these tests, as the runtime's
// flush point would give it. A flush that ignored it would hang the test.
const flushBudget = 200 * time.Millisecond

// steppedClock returns the given times in turn, then the last one.
func steppedClock(times ...time.Time) func() time.Time {
	var mu sync.Mutex
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := times[0]
		if len(times) > 1 {
			times = times[1:]
		}
		return t
	}
}

func TestTimestampsStrictlyIncreasePerSeries(t *testing.T) {
	t0 := time.UnixMilli(1_800_000_000_000)
	tests := []struct {
		name   string
		clock  []time.Time
		stale  bool
		wantTS []int64 // per request; the shutdown request last
	}{
		{"clock advances", []time.Time{t0, t0.Add(time.Second), t0.Add(2 * time.Second)}, true,
			[]int64{t0.UnixMilli(), t0.UnixMilli() + 1000, t0.UnixMilli() + 2000}},
		{"clock stands still", []time.Time{t0}, true,
			[]int64{t0.UnixMilli(), t0.UnixMilli() + 1, t0.UnixMilli() + 2}},
		{"clock goes back", []time.Time{t0, t0.Add(-time.Minute)}, true,
			[]int64{t0.UnixMilli(), t0.UnixMilli() + 1, t0.UnixMilli() + 2}},
		{"same millisecond", []time.Time{t0, t0.Add(300 * time.Microsecond), t0.Add(time.Millisecond)}, false,
			[]int64{t0.UnixMilli(), t0.UnixMilli() + 1, t0.UnixMilli() + 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, nil)
			rcv := newFakeReceiver(t, http.StatusNoContent)
			reg := exportertest.NewRegistry()
			opts := []Option{WithURL(rcv.URL), WithInstance("env1"), withClock(steppedClock(tc.clock...))}
			if !tc.stale {
				opts = append(opts, WithoutStaleMarkers())
			}
			e, err := New(reg, opts...)
			require.NoError(t, err)
			for range len(tc.wantTS) - 1 {
				reg.Invoke(2, 0)
				require.NoError(t, e.ForceFlush(t.Context()))
			}
			require.NoError(t, e.Shutdown(t.Context()))

			reqs := rcv.Received()
			require.Len(t, reqs, len(tc.wantTS))
			for i, r := range reqs {
				require.Len(t, r.Series, exportertest.RegistrySeries)
				last := i == len(reqs)-1
				for _, s := range r.Series {
					require.Equal(t, tc.wantTS[i], s.Samples[0].ts, s.key())
					if last && tc.stale {
						require.Len(t, s.Samples, 2)
						require.Equal(t, tc.wantTS[i]+1, s.Samples[1].ts)
						require.Equal(t, math.Float64bits(staleNaN), math.Float64bits(s.Samples[1].value), "staleness marker")
					} else {
						require.Len(t, s.Samples, 1)
					}
				}
			}
			final := map[string]float64{}
			for _, s := range reqs[len(reqs)-1].Series {
				final[s.key()] = s.Samples[0].value
			}
			n := float64(2 * (len(tc.wantTS) - 1))
			require.Equal(t, n, final[`lumen_test_invocations_total{instance="env1",job="lumen",result="success"}`])
			require.Equal(t, n, final[`lumen_test_duration_seconds_bucket{instance="env1",job="lumen",le="+Inf"}`])
		})
	}
}

func TestConfiguration(t *testing.T) {
	const stream = "2026/11/29/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	tests := []struct {
		name         string
		env          map[string]string
		opts         []Option
		wantJob      string
		wantInstance string
		wantHeader   http.Header
		wantLabels   map[string]string
	}{
		{
			name:         "lambda environment",
			env:          map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_LOG_STREAM_NAME": stream},
			wantJob:      "orders",
			wantInstance: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		},
		{
			name: "env variables",
			env: map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_LOG_STREAM_NAME": stream,
				EnvJob: "env-job", EnvInstance: "env-instance", EnvLabels: "region=eu-west-1,team=pay%20ments",
				EnvUsername: "u", EnvPassword: "p", EnvHeaders: "X-Scope-OrgID=t1",
			},
			wantJob:      "env-job",
			wantInstance: "env-instance",
			wantHeader:   http.Header{"Authorization": {"Basic dTpw"}, "X-Scope-Orgid": {"t1"}},
			wantLabels:   map[string]string{"region": "eu-west-1", "team": "pay ments"},
		},
		{
			name: "options win",
			env: map[string]string{
				EnvJob: "env-job", EnvInstance: "env-instance", EnvLabels: "region=eu-west-1",
				EnvBearerToken: "env-token", EnvHeaders: "X-Scope-OrgID=t1",
			},
			opts: []Option{
				WithJob("opt-job"), WithInstance("opt-instance"), WithLabel("region", "us-east-1"),
				WithBearerToken("opt-token"), WithHeaders(map[string]string{"X-Scope-OrgID": "t2"}),
			},
			wantJob:      "opt-job",
			wantInstance: "opt-instance",
			wantHeader:   http.Header{"Authorization": {"Bearer opt-token"}, "X-Scope-Orgid": {"t2"}},
			wantLabels:   map[string]string{"region": "us-east-1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rcv := newFakeReceiver(t, http.StatusNoContent)
			tc.env[EnvURL] = rcv.URL + "/api/v1/write"
			lambdaEnv(t, tc.env)
			e, err := New(exportertest.NewRegistry(), tc.opts...)
			require.NoError(t, err)
			require.Equal(t, tc.wantJob, e.Job())
			require.Equal(t, tc.wantInstance, e.Instance())
			require.NoError(t, e.ForceFlush(t.Context()))
			require.NoError(t, e.Shutdown(t.Context()))
			reqs := rcv.Received()
			require.Len(t, reqs, 2)
			for name, want := range tc.wantHeader {
				require.Equal(t, want, reqs[0].Header.Values(name), name)
			}
			require.Equal(t, "snappy", reqs[0].Header.Get("Content-Encoding"))
			require.Equal(t, "0.1.0", reqs[0].Header.Get("X-Prometheus-Remote-Write-Version"))
			for _, s := range reqs[0].Series {
				require.Equal(t, tc.wantJob, s.Labels["job"])
				require.Equal(t, tc.wantInstance, s.Labels["instance"])
				for n, v := range tc.wantLabels {
					require.Equal(t, v, s.Labels[n], n)
				}
			}
		})
	}
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		opts []Option
		want string
	}{
		{"no url", nil, nil, "no remote write URL"},
		{"no scheme", map[string]string{EnvURL: "prom:9090/api/v1/write"}, nil, "want http(s)"},
		{"bad labels", map[string]string{EnvURL: "http://p/w", EnvLabels: "x"}, nil, EnvLabels},
		{"job label", map[string]string{EnvURL: "http://p/w"}, []Option{WithLabel("job", "x")}, "use WithJob"},
		{"bad label name", map[string]string{EnvURL: "http://p/w"}, []Option{WithLabel("1a", "x")}, `label name "1a"`},
		{"reserved label name", map[string]string{EnvURL: "http://p/w"}, []Option{WithLabel("__x", "x")}, `label name "__x"`},
		{"empty label value", map[string]string{EnvURL: "http://p/w"}, []Option{WithLabel("a", "")}, "empty value"},
		{"no retries", map[string]string{EnvURL: "http://p/w"}, []Option{WithRetries(0, time.Millisecond, time.Millisecond)}, "at least 1 retry"},
		{"backoff order", map[string]string{EnvURL: "http://p/w"}, []Option{WithRetries(1, time.Second, time.Millisecond)}, "min <= max"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, tc.env)
			_, err := New(exportertest.NewRegistry(), tc.opts...)
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.ErrorContains(t, err, tc.want)
		})
	}
	t.Run("nil gatherer", func(t *testing.T) {
		_, err := New(nil, WithURL("http://p/w"))
		require.ErrorIs(t, err, ErrInvalidConfig)
	})
}

func TestFailedWritesAreBoundedAndCounted(t *testing.T) {
	tests := []struct {
		name      string
		url       func(t *testing.T) (string, func() int)
		wantIs    error
		wantText  string
		wantCalls int // requests that reached the server, -1: not checked
	}{
		{"closed port", func(t *testing.T) (string, func() int) { return exportertest.ClosedURL(t), nil }, nil, "connection refused", -1},
		{"blackholed endpoint", func(t *testing.T) (string, func() int) { return exportertest.NewBlackhole(t).URL, nil }, context.DeadlineExceeded, "", -1},
		{"server error is retried", func(t *testing.T) (string, func() int) {
			r := newFakeReceiver(t, http.StatusServiceUnavailable)
			return r.URL, r.Calls
		}, nil, "503", 1 + DefaultRetries},
		{"rejected write is not retried", func(t *testing.T) (string, func() int) {
			r := newFakeReceiver(t, http.StatusBadRequest)
			return r.URL, r.Calls
		}, nil, "400", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, nil)
			url, calls := tc.url(t)
			drops := &exportertest.Drops{}
			reg := exportertest.NewRegistry()
			reg.Invoke(3, 0)
			e, err := New(reg, WithURL(url), WithInstance("env1"), WithDropCounter(drops))
			require.NoError(t, err)

			budget := flushBudget
			if tc.wantCalls > 1 {
				// The retries end the flush, not the budget: leave a
				// loaded machine time for all of them.
				budget = 10 * flushBudget
			}
			ctx, cancel := context.WithTimeout(t.Context(), budget)
			defer cancel()
			err = e.ForceFlush(ctx)
			require.Error(t, err)
			if tc.wantIs != nil {
				require.ErrorIs(t, err, tc.wantIs)
			}
			require.ErrorContains(t, err, tc.wantText)
			require.ErrorContains(t, err, "write 9 series")
			if calls != nil {
				require.Equal(t, tc.wantCalls, calls())
			}
			items, n := drops.Get()
			require.Equal(t, map[string]int{Name + "/" + exporters.SignalMetrics: exportertest.RegistrySeries}, items)
			require.Equal(t, 1, n)

			sctx, scancel := context.WithTimeout(t.Context(), flushBudget)
			defer scancel()
			require.Error(t, e.Shutdown(sctx), "the final write fails too")
			require.NoError(t, e.Shutdown(sctx), "second Shutdown is a no-op")
			require.ErrorIs(t, e.ForceFlush(t.Context()), ErrShutdown)
			items, n = drops.Get()
			require.Equal(t, 2*exportertest.RegistrySeries, items[Name+"/"+exporters.SignalMetrics], "the final write's series are counted")
			require.Equal(t, 2, n)
		})
	}
}

func TestWaitingForAStuckWriteIsBounded(t *testing.T) {
	lambdaEnv(t, nil)
	hole := exportertest.NewBlackhole(t)
	e, err := New(exportertest.NewRegistry(), WithURL(hole.URL), WithInstance("env1"))
	require.NoError(t, err)

	stuckCtx, cancelStuck := context.WithCancel(t.Context())
	stuck := make(chan error, 1)
	go func() { stuck <- e.ForceFlush(stuckCtx) }()
	<-hole.Arrived

	for _, call := range []struct {
		name string
		do   func(context.Context) error
	}{{"flush", e.ForceFlush}, {"shutdown", e.Shutdown}} {
		ctx, cancel := context.WithTimeout(t.Context(), flushBudget)
		err := call.do(ctx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, call.name)
		require.ErrorContains(t, err, "waiting for the", call.name)
	}
	cancelStuck()
	require.ErrorIs(t, <-stuck, context.Canceled)
}

func TestConcurrentFlushesKeepOrder(t *testing.T) {
	lambdaEnv(t, nil)
	rcv := newFakeReceiver(t, http.StatusNoContent)
	reg := exportertest.NewRegistry()
	// A clock that never advances: only the exporter's ordering makes the
	// timestamps increase.
	e, err := New(reg, WithURL(rcv.URL), WithInstance("env1"), withClock(steppedClock(time.UnixMilli(1_800_000_000_000))))
	require.NoError(t, err)
	const flushes = 8
	var wg sync.WaitGroup
	errs := make(chan error, flushes)
	for range flushes {
		wg.Go(func() {
			reg.Invoke(1, 0)
			errs <- e.ForceFlush(t.Context())
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, e.Shutdown(t.Context()))
	reqs := rcv.Received()
	require.Len(t, reqs, flushes+1)
	seen := map[int64]bool{}
	for _, r := range reqs {
		ts := r.Series[0].Samples[0].ts
		require.False(t, seen[ts], "timestamp %d used twice", ts)
		seen[ts] = true
	}
}
