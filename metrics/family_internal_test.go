package metrics

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// gatherOne registers c on a new pedantic registry and returns its one
// family, linted, with created timestamps cleared (they differ between two
// instruments).
func gatherOne(t *testing.T, c prometheus.Collector) *dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	mfs, err := reg.Gather()
	require.NoError(t, err)
	require.Len(t, mfs, 1)
	for _, m := range mfs[0].GetMetric() {
		if h := m.GetHistogram(); h != nil {
			require.NotNil(t, h.GetCreatedTimestamp())
			h.CreatedTimestamp = nil
		}
		if c := m.GetCounter(); c != nil {
			require.NotNil(t, c.GetCreatedTimestamp())
			c.CreatedTimestamp = nil
		}
	}
	problems, err := testutil.GatherAndLint(reg)
	require.NoError(t, err)
	require.Empty(t, problems)
	return mfs[0]
}

// Lumen's histograms must expose exactly what client_golang's expose for
// the same observations: classic buckets, count and sum, and, with native
// histograms on, schema, zero bucket, spans and deltas, also once there
// are more populated buckets than NativeHistogramMaxBucketNumber and the
// resolution is reduced.
func TestHistogramMatchesClientGolang(t *testing.T) {
	bounds := []float64{0.001, 0.01, 0.1, 1}
	spread := func(n int) []float64 { // n values over 2^-20 … 2^20: hundreds of native buckets
		r := rand.New(rand.NewPCG(1, 2))
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Exp2(r.Float64()*40 - 20)
		}
		return out
	}
	tests := []struct {
		name   string
		series [][]string
		values []float64
	}{
		{name: "no observations", series: [][]string{{"handle"}}},
		{name: "on the bounds", series: [][]string{{"handle"}}, values: []float64{0.001, 0.01, 0.1, 1}},
		{name: "between and beyond", series: [][]string{{"handle"}, {"post"}}, values: []float64{0, 0.0005, 0.05, 0.5, 2, 1e9}},
		{name: "zero and tiny", series: [][]string{{"post"}}, values: []float64{0, 1e-40, math.Ldexp(1, -128), 1e-30}},
		{name: "NaN", series: [][]string{{"post"}}, values: []float64{0.5, math.NaN()}},
		{name: "gaps of one, two and three buckets", series: [][]string{{"post"}},
			values: []float64{1, 1.1, 1.3, 1.5, 2.2, 2.5}},
		{name: "beyond the bucket limit", series: [][]string{{"handle"}}, values: spread(3000)},
	}
	for _, native := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(map[bool]string{false: "classic/", true: "native/"}[native]+tt.name, func(t *testing.T) {
				opts := prometheus.HistogramOpts{
					Name: "faas_test_seconds", Help: "Test.", Buckets: bounds,
					ConstLabels: prometheus.Labels{"faas_name": "orders"},
				}
				if native {
					opts.NativeHistogramBucketFactor = NativeHistogramBucketFactor
					opts.NativeHistogramMaxBucketNumber = NativeHistogramMaxBucketNumber
					opts.NativeHistogramMinResetDuration = NativeHistogramMinResetDuration
				}
				theirs := prometheus.NewHistogramVec(opts, []string{"phase"})
				ours := newFamily(metricDef{name: opts.Name, help: opts.Help, kind: KindHistogram,
					labels: []string{"phase"}, bounds: bounds}, opts.ConstLabels, native, &seriesIDs{})
				for _, lvs := range tt.series {
					a, b := theirs.WithLabelValues(lvs...), ours.with(lvs...)
					for _, v := range tt.values {
						a.Observe(v)
						b.h.observe(v)
					}
				}
				want, got := gatherOne(t, theirs), gatherOne(t, ours)
				require.True(t, proto.Equal(want, got), "want %v\ngot  %v", want, got)
				if native && len(tt.values) > 1000 {
					require.Less(t, got.GetMetric()[0].GetHistogram().GetSchema(), int32(nativeSchema), "resolution reduced")
				}
			})
		}
	}
}

func TestCounterAndGaugeMatchClientGolang(t *testing.T) {
	theirs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "x_total", Help: "h"}, []string{"l"})
	ours := newFamily(metricDef{name: "x_total", help: "h", kind: KindCounter, labels: []string{"l"}}, nil, false, &seriesIDs{})
	for _, v := range []float64{1, 2, 0.5, 1e-3, 3, -1} {
		if v >= 0 {
			theirs.WithLabelValues("a").Add(v)
		}
		ours.with("a").c.add(v) // negative ignored
	}
	theirs.WithLabelValues("b").Inc()
	ours.with("b").c.inc()
	require.True(t, proto.Equal(gatherOne(t, theirs), gatherOne(t, ours)))

	theirG := prometheus.NewGauge(prometheus.GaugeOpts{Name: "g", Help: "h"})
	ourG := newFamily(metricDef{name: "g", help: "h", kind: KindGauge}, nil, false, &seriesIDs{})
	theirG.Add(3)
	theirG.Sub(1.5)
	ourG.with().g.add(3)
	ourG.with().g.add(-1.5)
	require.True(t, proto.Equal(gatherOne(t, theirG), gatherOne(t, ourG)))
}

func TestFamilyWrongLabelCount(t *testing.T) {
	f := newFamily(metricDef{name: "x_seconds", help: "h", kind: KindHistogram, labels: []string{"phase"}, bounds: []float64{1}},
		nil, false, &seriesIDs{})
	require.Panics(t, func() { f.with() })
	require.Panics(t, func() { f.with("a", "b") })
}

// Reads taken while observations land always show a consistent series: the
// +Inf count is the sample count, the native buckets never hold more than
// it, and nothing is lost at the end.
func TestHistogramConcurrentSafe(t *testing.T) {
	f := newFamily(metricDef{name: "x_seconds", help: "h", kind: KindHistogram, labels: []string{"phase"},
		bounds: []float64{0.5, 1}}, nil, true, &seriesIDs{})
	const workers, each = 4, 1000
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			s := f.with("handle")
			for i := range each {
				s.h.observe(float64(i%3) * 0.5)
			}
		})
	}
	wg.Go(func() {
		s := f.with("handle")
		for range 100 {
			var m dto.Metric
			if err := s.Write(&m); err != nil {
				t.Error(err)
				return
			}
			h := m.GetHistogram()
			buckets := h.GetBucket()
			if buckets[len(buckets)-1].GetCumulativeCount() > h.GetSampleCount() {
				t.Error("a bucket above the count")
			}
			var native uint64
			var prev int64
			for _, d := range h.GetPositiveDelta() {
				prev += d
				native += uint64(prev)
			}
			if native+h.GetZeroCount() > h.GetSampleCount() {
				t.Errorf("%d native observations, count %d", native+h.GetZeroCount(), h.GetSampleCount())
			}
		}
	})
	wg.Wait()
	var m dto.Metric
	require.NoError(t, f.with("handle").Write(&m))
	require.Equal(t, uint64(workers*each), m.GetHistogram().GetSampleCount())
}

func TestNativeKeyMatchesBounds(t *testing.T) {
	for _, v := range []float64{1, 1.0905077326652577, 1.1, 2, 3, 0.5, 1e-9, 1e9, math.Ldexp(1, 128), math.Inf(1)} {
		k := nativeKey(v)
		upper := math.Exp2(float64(k) / 8)
		lower := math.Exp2(float64(k-1) / 8)
		if k == nativeKeyHigh {
			require.GreaterOrEqual(t, v, lower, "%v", v)
			continue
		}
		require.Greater(t, v, lower*(1-1e-15), "%v in bucket %d", v, k)
		require.LessOrEqual(t, v, upper*(1+1e-15), "%v in bucket %d", v, k)
	}
}
