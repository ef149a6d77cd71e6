package metrics_test

import (
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

func TestGatherVisitorConversions(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "app_requests_total", Help: "Requests."}, []string{"faas_name", "route"})
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_queue_bytes", Help: "Queue."})
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "app_latency_seconds", Help: "Latency.", Buckets: []float64{0.1, 1}})
	n := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "app_native_seconds", Help: "Native only.", NativeHistogramBucketFactor: 1.1})
	s := prometheus.NewSummary(prometheus.SummaryOpts{Name: "app_size_ratio", Help: "Size.", Objectives: map[float64]float64{0.5: 0.05}})
	reg.MustRegister(c, g, h, n, s)
	c.WithLabelValues("orders", "/a").Add(3)
	g.Set(42)
	for _, v := range []float64{0.05, 0.5, 0.5, 5} {
		h.Observe(v)
		n.Observe(v)
	}
	s.Observe(0.25)

	got := visit(metrics.NewGatherVisitor(reg, 0, nil).Visit).byKey
	ctr := got[`app_requests_total{faas_name="orders",route="/a"}`]
	require.Equal(t, metrics.KindCounter, ctr.Kind)
	require.InDelta(t, 3, ctr.Value, 0)
	require.Equal(t, "Requests.", ctr.Help)
	require.Equal(t, []metrics.Label{{Name: "faas_name", Key: "faas.name", Value: "orders"}, {Name: "route", Key: "route", Value: "/a"}}, ctr.Labels)
	require.False(t, ctr.Start.IsZero())

	require.Equal(t, metrics.KindGauge, got["app_queue_bytes"].Kind)
	require.Equal(t, "By", got["app_queue_bytes"].Unit)
	require.InDelta(t, 42, got["app_queue_bytes"].Value, 0)

	hist := got["app_latency_seconds"]
	require.Equal(t, metrics.KindHistogram, hist.Kind)
	require.Equal(t, "s", hist.Unit)
	require.Equal(t, []float64{0.1, 1}, hist.Bounds)
	require.Equal(t, []uint64{1, 2, 1}, hist.Counts, "per bucket, not cumulative")
	require.Equal(t, uint64(4), hist.Count)
	require.InDelta(t, 6.05, hist.Sum, 1e-12)

	native := got["app_native_seconds"]
	require.Empty(t, native.Bounds)
	require.Equal(t, []uint64{4}, native.Counts, "a native-only histogram is one bucket")

	sum := got["app_size_ratio"]
	require.Equal(t, metrics.KindSummary, sum.Kind)
	require.Equal(t, "1", sum.Unit)
	require.Equal(t, uint64(1), sum.Count)
	require.Equal(t, []metrics.Quantile{{Quantile: 0.5, Value: 0.25}}, sum.Quantiles)
}

// A series keeps its ID across gathers, also when it vanishes and comes
// back; other labels are another series.
func TestGatherVisitorIDs(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "x_total", Help: "h"}, []string{"l"})
	reg.MustRegister(c)
	c.WithLabelValues("a").Inc()
	v := metrics.NewGatherVisitor(reg, 0, nil)
	first := visit(v.Visit).byKey[`x_total{l="a"}`].ID

	c.DeleteLabelValues("a")
	c.WithLabelValues("b").Inc()
	got := visit(v.Visit).byKey
	require.NotContains(t, got, `x_total{l="a"}`, "gone from the gather, gone from the visit")
	require.NotEqual(t, first, got[`x_total{l="b"}`].ID)

	c.WithLabelValues("a").Inc()
	require.Equal(t, first, visit(v.Visit).byKey[`x_total{l="a"}`].ID)
}

func TestGatherVisitorErrors(t *testing.T) {
	reg := prometheus.NewRegistry()
	ok := prometheus.NewGauge(prometheus.GaugeOpts{Name: "ok", Help: "h"})
	reg.MustRegister(ok)
	failing := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) { return nil, errors.New("broken") })
	var errs []error
	v := metrics.NewGatherVisitor(prometheus.Gatherers{reg, failing}, 0, func(err error) { errs = append(errs, err) })
	require.Contains(t, visit(v.Visit).byKey, "ok", "what was gathered is visited")
	require.Len(t, errs, 1)
	require.ErrorContains(t, errs[0], "broken")
}
