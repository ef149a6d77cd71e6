package metrics_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

// allocated is go_memstats_alloc_bytes_total{stage="test"} in a gather: it
// grows with every allocation, so a fresh read always differs from the last.
func allocated(t *testing.T, g prometheus.Gatherer) float64 {
	t.Helper()
	v, ok := series(t, g)[`go_memstats_alloc_bytes_total{stage="test"}`]
	require.True(t, ok, "go_memstats_alloc_bytes_total with the const label")
	return v
}

func TestRuntimeCollectorsMaxAge(t *testing.T) {
	tests := []struct {
		name    string
		maxAge  time.Duration
		advance time.Duration // fake time between the two gathers
		fresh   bool          // the second gather reads the collectors again
	}{
		{name: "within max age: repeated", maxAge: time.Second, advance: 999 * time.Millisecond, fresh: false},
		{name: "at max age: read again", maxAge: time.Second, advance: time.Second, fresh: true},
		{name: "default, within: repeated", maxAge: -1, advance: metrics.DefaultRuntimeCollectorsMaxAge / 2, fresh: false},
		{name: "zero: read on every gather", maxAge: 0, advance: 0, fresh: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				opts := []metrics.Option{metrics.WithConstLabels(prometheus.Labels{"stage": "test"})}
				if tt.maxAge >= 0 {
					opts = append(opts, metrics.WithRuntimeCollectorsMaxAge(tt.maxAge))
				}
				rec, err := metrics.New(opts...)
				require.NoError(t, err)
				first := allocated(t, rec.Gatherer())
				time.Sleep(tt.advance) // moves the bubble's fake clock only
				second := allocated(t, rec.Gatherer())
				if tt.fresh {
					require.Greater(t, second, first)
				} else {
					require.Equal(t, first, second)
				}
				// Cached or not, the gather is valid exposition.
				problems, err := testutil.GatherAndLint(rec.Gatherer())
				require.NoError(t, err)
				require.Empty(t, problems)
			})
		})
	}
}

func TestRuntimeCollectorsMaxAgeInvalid(t *testing.T) {
	_, err := metrics.New(metrics.WithRuntimeCollectorsMaxAge(-time.Second))
	require.ErrorIs(t, err, metrics.ErrInvalidOption)
}

func TestRuntimeCollectorsCachedStillRejectDuplicates(t *testing.T) {
	reg := prometheus.NewRegistry()
	_, err := metrics.New(metrics.WithRegisterer(reg), metrics.WithRuntimeCollectors(true))
	require.NoError(t, err)
	// A second Recorder on the same registry keeps the existing collectors.
	_, err = metrics.New(metrics.WithRegisterer(reg), metrics.WithRuntimeCollectors(true))
	require.NoError(t, err)
	mfs, err := reg.Gather()
	require.NoError(t, err)
	names := map[string]int{}
	for _, mf := range mfs {
		names[mf.GetName()] += len(mf.GetMetric())
	}
	require.Equal(t, 1, names["go_goroutines"])
	require.Equal(t, 1, names["process_cpu_seconds_total"])
}
