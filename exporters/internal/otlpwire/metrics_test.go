package otlpwire_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// fakeSource hands its series to the visitor through one reused Series,
// as the Recorder does.
type fakeSource struct {
	series []exporters.Series
	cur    exporters.Series
}

func (f *fakeSource) Visit(visit func(*exporters.Series)) {
	for i := range f.series {
		f.cur = f.series[i]
		visit(&f.cur)
	}
	f.cur = exporters.Series{Name: "reused", OTelName: "reused"} // the encoder must not have kept it
}

var (
	started = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	bounds  = []float64{0.1, 1, 10}
	trigger = []exporters.Label{{Name: "faas_trigger", Key: "faas.trigger", Value: "http"}}
)

// newSource returns a source shaped like a function's metrics.
func newSource() *fakeSource {
	return &fakeSource{series: []exporters.Series{
		{ID: 0, Name: "faas_invocations_total", OTelName: "faas.invocations", Unit: "{invocation}", Help: "Invocations.",
			Kind: exporters.KindCounter, Labels: trigger, Start: started, Value: 3},
		{ID: 1, Name: "faas_invocations_total", OTelName: "faas.invocations", Unit: "{invocation}", Help: "Invocations.",
			Kind: exporters.KindCounter, Labels: []exporters.Label{{Name: "faas_trigger", Key: "faas.trigger", Value: "pubsub"}}, Start: started, Value: 0},
		{ID: 2, Name: "faas_mem_usage_bytes", OTelName: "faas.mem_usage", Unit: "By", Help: "Memory.", Kind: exporters.KindGauge, Value: 1 << 20},
		{ID: 3, Name: "faas_invoke_duration_seconds", OTelName: "faas.invoke_duration", Unit: "s", Help: "Duration.",
			Kind: exporters.KindHistogram, Labels: trigger, Start: started, Count: 3, Sum: 2.55, Bounds: bounds, Counts: []uint64{1, 1, 1, 0}},
	}}
}

func decodeMetrics(t testing.TB, b []byte) []*metricspb.Metric {
	t.Helper()
	var req colmetricspb.ExportMetricsServiceRequest
	require.NoError(t, proto.Unmarshal(b, &req))
	require.Len(t, req.GetResourceMetrics(), 1)
	require.Len(t, req.GetResourceMetrics()[0].GetScopeMetrics(), 1)
	sm := req.GetResourceMetrics()[0].GetScopeMetrics()[0]
	require.Equal(t, "scope", sm.GetScope().GetName())
	require.Equal(t, map[string]any{"service.name": "hello", "cloud.provider": "aws"},
		otlptest.Attributes(req.GetResourceMetrics()[0].GetResource().GetAttributes()))
	return sm.GetMetrics()
}

func nanos(t time.Time) uint64 { return uint64(t.UnixNano()) }

// TestMetricsCumulative checks every kind of series, sent cumulatively.
func TestMetricsCumulative(t *testing.T) {
	enc := otlpwire.NewMetrics(resMain, "scope", false)
	now := started.Add(time.Minute)
	b, n := enc.Append([]byte("keep"), newSource(), now)
	require.Equal(t, 4, n)
	require.Equal(t, "keep", string(b[:4]), "appends to b")
	ms := decodeMetrics(t, b[4:])
	require.Len(t, ms, 3)

	inv := ms[0]
	require.Equal(t, "faas.invocations", inv.GetName())
	require.Equal(t, "{invocation}", inv.GetUnit())
	require.Equal(t, "Invocations.", inv.GetDescription())
	sum := inv.GetSum()
	require.True(t, sum.GetIsMonotonic())
	require.Equal(t, metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE, sum.GetAggregationTemporality())
	require.Len(t, sum.GetDataPoints(), 2)
	dp := sum.GetDataPoints()[0]
	require.Equal(t, map[string]any{"faas.trigger": "http"}, otlptest.Attributes(dp.GetAttributes()))
	require.Equal(t, nanos(started), dp.GetStartTimeUnixNano())
	require.Equal(t, nanos(now), dp.GetTimeUnixNano())
	require.Equal(t, 3.0, dp.GetAsDouble())
	require.Equal(t, map[string]any{"faas.trigger": "pubsub"}, otlptest.Attributes(sum.GetDataPoints()[1].GetAttributes()))
	require.IsType(t, &metricspb.NumberDataPoint_AsDouble{}, sum.GetDataPoints()[1].GetValue(), "a zero value is sent")

	mem := ms[1]
	require.Equal(t, "faas.mem_usage", mem.GetName())
	require.Len(t, mem.GetGauge().GetDataPoints(), 1)
	require.Equal(t, float64(1<<20), mem.GetGauge().GetDataPoints()[0].GetAsDouble())
	require.Equal(t, nanos(now), mem.GetGauge().GetDataPoints()[0].GetTimeUnixNano())
	require.Empty(t, mem.GetGauge().GetDataPoints()[0].GetAttributes())

	h := ms[2].GetHistogram()
	require.Equal(t, metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE, h.GetAggregationTemporality())
	hp := h.GetDataPoints()[0]
	require.Equal(t, uint64(3), hp.GetCount())
	require.Equal(t, 2.55, hp.GetSum())
	require.Equal(t, bounds, hp.GetExplicitBounds())
	require.Equal(t, []uint64{1, 1, 1, 0}, hp.GetBucketCounts())
	require.Equal(t, nanos(started), hp.GetStartTimeUnixNano())
}

// TestMetricsDelta follows counters and histograms over flushes: the first
// request sends everything since the series started, the next only what
// changed since the last committed request; an uncommitted request's
// increments go with the next one; a reset starts over.
func TestMetricsDelta(t *testing.T) {
	src := newSource()
	enc := otlpwire.NewMetrics(resMain, "scope", true)
	t1, t2, t3, t4 := started.Add(time.Minute), started.Add(2*time.Minute), started.Add(3*time.Minute), started.Add(4*time.Minute)

	b, n := enc.Append(nil, src, t1)
	require.Equal(t, 3, n, "the pubsub counter is still 0: not sent")
	ms := decodeMetrics(t, b)
	require.Len(t, ms, 3)
	require.Equal(t, metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA, ms[0].GetSum().GetAggregationTemporality())
	require.Equal(t, nanos(started), ms[0].GetSum().GetDataPoints()[0].GetStartTimeUnixNano())
	require.Equal(t, 3.0, ms[0].GetSum().GetDataPoints()[0].GetAsDouble())
	require.Equal(t, metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA, ms[2].GetHistogram().GetAggregationTemporality())
	enc.Commit()

	// Nothing changed: only the gauge.
	b, n = enc.Append(b[:0], src, t2)
	require.Equal(t, 1, n)
	require.Equal(t, "faas.mem_usage", decodeMetrics(t, b)[0].GetName())
	enc.Commit()

	src.series[0].Value = 5
	src.series[3].Count, src.series[3].Sum, src.series[3].Counts = 5, 7.55, []uint64{1, 2, 1, 1}
	b, n = enc.Append(b[:0], src, t3)
	require.Equal(t, 3, n)
	// Not committed: the export failed.
	src.series[0].Value = 6
	b, n = enc.Append(b[:0], src, t4)
	require.Equal(t, 3, n)
	ms = decodeMetrics(t, b)
	dp := ms[0].GetSum().GetDataPoints()[0]
	require.Equal(t, 3.0, dp.GetAsDouble(), "6 - 3: the failed request's increment is included")
	require.Equal(t, nanos(t2), dp.GetStartTimeUnixNano(), "since the last committed request")
	require.Equal(t, nanos(t4), dp.GetTimeUnixNano())
	hp := ms[2].GetHistogram().GetDataPoints()[0]
	require.Equal(t, uint64(2), hp.GetCount())
	require.InDelta(t, 5.0, hp.GetSum(), 1e-9)
	require.Equal(t, []uint64{0, 1, 0, 1}, hp.GetBucketCounts())
	require.Equal(t, nanos(t2), hp.GetStartTimeUnixNano())
	enc.Commit()

	// A reset (a new execution environment's Recorder would start over).
	src.series[0].Value, src.series[0].Start = 2, t4
	b, _ = enc.Append(b[:0], src, t4.Add(time.Minute))
	dp = decodeMetrics(t, b)[0].GetSum().GetDataPoints()[0]
	require.Equal(t, 2.0, dp.GetAsDouble())
	require.Equal(t, nanos(t4), dp.GetStartTimeUnixNano())
}

// TestMetricsEmpty returns b unchanged when there is nothing to send.
func TestMetricsEmpty(t *testing.T) {
	enc := otlpwire.NewMetrics(nil, "scope", false)
	b, n := enc.Append([]byte("x"), &fakeSource{}, started)
	require.Zero(t, n)
	require.Equal(t, "x", string(b))
}

// TestMetricsNotConsecutive sends series of one name visited apart as two
// Metric messages, which OTLP allows.
func TestMetricsNotConsecutive(t *testing.T) {
	src := newSource()
	src.series[1], src.series[2] = src.series[2], src.series[1]
	b, n := otlpwire.NewMetrics(resMain, "scope", false).Append(nil, src, started)
	require.Equal(t, 4, n)
	ms := decodeMetrics(t, b)
	require.Len(t, ms, 4)
	require.Equal(t, ms[0].GetName(), ms[2].GetName())
}

// TestMetricsAllocs checks that a warm encoder allocates nothing.
func TestMetricsAllocs(t *testing.T) {
	src := newSource()
	for _, delta := range []bool{false, true} {
		enc := otlpwire.NewMetrics(resMain, "scope", delta)
		b, _ := enc.Append(nil, src, started)
		enc.Commit()
		allocs := testing.AllocsPerRun(20, func() {
			src.series[0].Value++
			b, _ = enc.Append(b[:0], src, started)
			enc.Commit()
		})
		require.Zero(t, allocs, "delta=%v", delta)
	}
}
