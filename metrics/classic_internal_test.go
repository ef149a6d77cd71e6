package metrics

import (
	"math"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// gatherOne registers c on a new registry and returns its one family, with
// created timestamps cleared (they differ between two histograms).
func gatherOne(t *testing.T, c prometheus.Collector) *dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	mfs, err := reg.Gather()
	require.NoError(t, err)
	require.Len(t, mfs, 1)
	for _, m := range mfs[0].GetMetric() {
		require.NotNil(t, m.GetHistogram().GetCreatedTimestamp())
		m.Histogram.CreatedTimestamp = nil
	}
	problems, err := testutil.GatherAndLint(reg)
	require.NoError(t, err)
	require.Empty(t, problems)
	return mfs[0]
}

// Lumen's classic histograms must expose exactly what client_golang's
// classic histograms expose for the same observations.
func TestClassicVecMatchesClientGolang(t *testing.T) {
	opts := prometheus.HistogramOpts{
		Name: "faas_test_seconds", Help: "Test.", Buckets: []float64{0.001, 0.01, 0.1, 1},
		ConstLabels: prometheus.Labels{"faas_name": "orders"},
	}
	tests := []struct {
		name   string
		labels []string
		series [][]string
		values []float64
	}{
		{name: "no observations", labels: []string{"phase"}, series: [][]string{{"handle"}}},
		{name: "on the bounds", labels: []string{"phase"}, series: [][]string{{"handle"}}, values: []float64{0.001, 0.01, 0.1, 1}},
		{name: "between and beyond", labels: []string{"phase"}, series: [][]string{{"handle"}, {"post"}},
			values: []float64{0, 0.0005, 0.05, 0.5, 2, 1e9, -3}},
		{name: "infinities", labels: []string{"phase"}, series: [][]string{{"post"}}, values: []float64{math.Inf(1), math.Inf(-1)}},
		{name: "NaN", labels: []string{"phase"}, series: [][]string{{"post"}}, values: []float64{0.5, math.NaN()}},
		{name: "no labels", values: []float64{0.002, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			theirs := prometheus.NewHistogramVec(opts, tt.labels)
			ours := newClassicVec(opts, tt.labels)
			series := tt.series
			if len(series) == 0 {
				series = [][]string{nil}
			}
			for _, lvs := range series {
				a, b := theirs.WithLabelValues(lvs...), ours.WithLabelValues(lvs...)
				for _, v := range tt.values {
					a.Observe(v)
					b.Observe(v)
				}
			}
			want, got := gatherOne(t, theirs), gatherOne(t, ours)
			require.True(t, proto.Equal(want, got), "want %v\ngot  %v", want, got)
		})
	}
}

func TestClassicHistogramWithoutLabels(t *testing.T) {
	opts := prometheus.HistogramOpts{Name: "flush_seconds", Help: "Test.", Buckets: []float64{0.1, 1}}
	theirs, ours := prometheus.NewHistogram(opts), newHistogram(opts, false)
	for _, v := range []float64{0.05, 0.5, 5} {
		theirs.Observe(v)
		ours.Observe(v)
	}
	want, got := gatherOne(t, theirs), gatherOne(t, ours)
	require.True(t, proto.Equal(want, got), "want %v\ngot  %v", want, got)
}

func TestClassicVecWrongLabelCount(t *testing.T) {
	v := newClassicVec(prometheus.HistogramOpts{Name: "x_seconds", Help: "h", Buckets: []float64{1}}, []string{"phase"})
	require.Panics(t, func() { v.WithLabelValues() })
	require.Panics(t, func() { v.WithLabelValues("a", "b") })
}

// Writes taken while observations land always show a consistent series:
// the +Inf count is the sample count, and nothing is lost at the end.
func TestClassicHistogramConcurrentSafe(t *testing.T) {
	v := newClassicVec(prometheus.HistogramOpts{Name: "x_seconds", Help: "h", Buckets: []float64{0.5, 1}}, []string{"phase"})
	const workers, each = 4, 1000
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			h := v.WithLabelValues("handle")
			for i := range each {
				h.Observe(float64(i%3) * 0.5)
			}
		})
	}
	wg.Go(func() {
		h := v.child([]string{"handle"})
		for range 100 {
			var m dto.Metric
			require.NoError(t, h.Write(&m))
			buckets := m.GetHistogram().GetBucket()
			require.LessOrEqual(t, buckets[len(buckets)-1].GetCumulativeCount(), m.GetHistogram().GetSampleCount())
		}
	})
	wg.Wait()
	var m dto.Metric
	require.NoError(t, v.child([]string{"handle"}).Write(&m))
	require.Equal(t, uint64(workers*each), m.GetHistogram().GetSampleCount())
}
