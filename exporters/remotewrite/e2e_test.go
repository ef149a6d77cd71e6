package remotewrite

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/internal/promtest"
)

// startPrometheus starts a real Prometheus with the remote write receiver.
func startPrometheus(t *testing.T) (*promtest.Stack, context.Context) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Prometheus")
	}
	base := promtest.StartPrometheus(t, "")
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return &promtest.Stack{PrometheusURL: base, RemoteWriteURL: base + "/api/v1/write"}, ctx
}

// TestRemoteWriteEndToEnd: two emulated execution environments of one
// function write at the same time, flush after flush; Prometheus accepts
// every write (no duplicate or out-of-order sample) and the sums across
// both are exact.
func TestRemoteWriteEndToEnd(t *testing.T) {
	s, ctx := startPrometheus(t)
	const stream = "2026/11/29/[$LATEST]"
	envs := []struct {
		id      string
		batches []int
	}{
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", []int{5, 7, 1, 9}},
		{"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", []int{3, 11, 6, 2}},
	}
	regs := make([]*exportertest.Registry, len(envs))
	exps := make([]*Exporter, len(envs))
	for i, env := range envs {
		lambdaEnv(t, map[string]string{
			EnvURL: s.RemoteWriteURL, "AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_LOG_STREAM_NAME": stream + env.id,
		})
		regs[i] = exportertest.NewRegistry()
		var err error
		exps[i], err = New(regs[i])
		require.NoError(t, err)
		require.Equal(t, env.id, exps[i].Instance())
	}

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i, env := range envs {
		wg.Go(func() {
			for _, n := range env.batches {
				regs[i].Invoke(n, 4)
				if err := exps[i].ForceFlush(ctx); err != nil {
					errs <- fmt.Errorf("%s: %w", env.id, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.False(t, t.Failed())

	// a: 22 invocations, errors 1+1+0+2 = 4; b: 22 invocations, errors 0+2+1+0 = 3.
	tests := []struct {
		promql string
		want   float64
	}{
		{`sum(lumen_test_invocations_total{job="orders"})`, 44},
		{`sum(lumen_test_invocations_total{job="orders",instance="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})`, 22},
		{`sum(lumen_test_invocations_total{job="orders",result="error"})`, 7},
		{`sum(lumen_test_duration_seconds_count{job="orders"})`, 44},
		{`sum(lumen_test_duration_seconds_bucket{job="orders",le="+Inf"})`, 44},
		{`count(lumen_test_invocations_total{job="orders"})`, 4},
		// every flush of a series is one sample: 4 per environment
		{`sum(count_over_time(lumen_test_invocations_total{job="orders",result="success"}[10m]))`, 8},
	}
	for _, tc := range tests {
		t.Run(tc.promql, func(t *testing.T) {
			got, err := s.Value(ctx, tc.promql)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}

	// Shutdown ends environment a's series with staleness markers: they are
	// gone from instant queries, their history stays.
	require.NoError(t, exps[0].Shutdown(ctx))
	require.NoError(t, exps[1].Shutdown(ctx), "b's final write")
	absent, err := s.Value(ctx, `absent(lumen_test_invocations_total{instance="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})`)
	require.NoError(t, err)
	require.Equal(t, 1.0, absent)
	last, err := s.Value(ctx, `sum(max_over_time(lumen_test_invocations_total{instance="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}[10m]))`)
	require.NoError(t, err)
	require.Equal(t, 22.0, last)
}

// TestReceiverRejectsSharedSeries is the control for the instance label:
// two writers of the same series collide in Prometheus, and the exporter
// returns the rejection and counts the series as dropped.
func TestReceiverRejectsSharedSeries(t *testing.T) {
	s, ctx := startPrometheus(t)
	t0 := time.Now()
	tests := []struct {
		name   string
		clockB time.Time
		want   string
	}{
		{"same timestamp, other value", t0, "duplicate sample"},
		{"older timestamp", t0.Add(-time.Second), "out of order"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, map[string]string{EnvURL: s.RemoteWriteURL, EnvInstance: "shared"})
			job := fmt.Sprintf("collide%d", i)
			regA, regB := exportertest.NewRegistry(), exportertest.NewRegistry()
			regA.Invoke(7, 0)
			regB.Invoke(5, 0)
			drops := &exportertest.Drops{}
			a, err := New(regA, WithJob(job), withClock(steppedClock(t0)))
			require.NoError(t, err)
			b, err := New(regB, WithJob(job), withClock(steppedClock(tc.clockB)), WithDropCounter(drops))
			require.NoError(t, err)
			require.NoError(t, a.ForceFlush(ctx))
			err = b.ForceFlush(ctx)
			require.ErrorContains(t, err, "400")
			require.ErrorContains(t, err, tc.want)
			items, _ := drops.Get()
			require.Equal(t, exportertest.RegistrySeries, items[Name+"/"+exporters.SignalMetrics])
			require.NoError(t, a.Shutdown(ctx))
			// b's clock stands still, so its final write lands at or before
			// a's staleness marker: rejected again.
			require.ErrorContains(t, b.Shutdown(ctx), "out of order")
		})
	}
}
