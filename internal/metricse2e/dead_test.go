package metricse2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/testenv"
)

// TestDeadPushgateway: with the Pushgateway's port closed, every invocation
// still succeeds, and the loss is counted where a second exporter shows it:
// the function's own /metrics endpoint (LUMEN_METRICS_EXPORTER=
// pushgateway,prometheus) accounts for every flush of the Pushgateway
// exporter exactly once — the first one failed (or, on a starved machine,
// overran) while the loop waited; after it the flush point backs off, and
// each later flush point either started a retry in the background, which
// failed and was counted, or skipped the exporter, counted as skipped — and
// reports the series each failed push carried as dropped. The failure is
// logged once, not at every invocation.
func TestDeadPushgateway(t *testing.T) {
	testfunc(t)
	dead := "http://" + testenv.FreeAddr(t) // nothing listens there
	metricsAddr := testenv.FreeAddr(t)
	e := startEnvironment(t, instanceID('e'),
		"LUMEN_METRICS_EXPORTER=pushgateway,prometheus",
		"LUMEN_PUSHGATEWAY_URL="+dead,
		"LUMEN_METRICS_ADDR="+metricsAddr,
		"LUMEN_FLUSH_BUDGET=200ms",
	)
	m := mix{stepEcho, stepHTTP, stepTyped, stepEcho, stepEcho, stepUnmarshal}
	n := float64(m.invocations())
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	require.NoError(t, e.run(ctx, m), "a dead Pushgateway must not fail invocations")

	// The flush after the last invocation runs after its response, and a
	// retry may still be running: poll the endpoint until every flush
	// point has been accounted for.
	var fams map[string]*dto.MetricFamily
	for {
		var err error
		fams, err = testenv.Scrape(ctx, "http://"+metricsAddr+"/metrics")
		if err == nil && lostFlushes(fams)+skippedFlushes(fams) >= n {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the flushes of %v invocations were not all counted: %v (last scrape error: %v)", n, ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}

	lost := lostFlushes(fams)
	require.Equal(t, n, lost+skippedFlushes(fams), "every Pushgateway flush point failed, retried and failed, or skipped")
	require.GreaterOrEqual(t, lost, 1.0)
	require.Equal(t, n, sum(fams, "faas_invocations_total", nil))
	require.Equal(t, m.errorsByType(), byLabel(fams, "faas_errors_total", "error_type"))

	// Each failed push reports the series it carried: at least every Go
	// runtime and process series, which every push carries, and at most
	// every series the registry holds now (it only grows).
	var always, all float64
	for name, mf := range fams {
		c := float64(seriesOf(mf))
		all += c
		if strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") {
			always += c
		}
	}
	dropped := sum(fams, "faas_telemetry_dropped_items_total", map[string]string{"exporter": "pushgateway", "signal": "metrics"})
	require.GreaterOrEqual(t, dropped, lost*always)
	require.LessOrEqual(t, dropped, lost*all)
	require.Equal(t, dropped, sum(fams, "faas_telemetry_dropped_items_total", nil), "only the Pushgateway lost anything")

	// The failure is reported through the runtime's error handler once:
	// the retries that follow are counted, not logged again. The handler
	// gets it on a goroutine of its own, after the count: poll for it.
	for !strings.Contains(e.em.Output(), "pushgateway: push ") {
		select {
		case <-ctx.Done():
			t.Fatalf("the failure was never reported: %v\n%s", ctx.Err(), e.em.Output())
		case <-time.After(10 * time.Millisecond):
		}
	}
	require.Equal(t, 1, strings.Count(e.em.Output(), "pushgateway: push "), "one logged error for the failing Pushgateway")

	h := histogram(fams, "faas_telemetry_flush_duration_seconds")
	require.NotNil(t, h)
	t.Logf("flushes to a closed port: %d, mean %.2f ms", h.GetSampleCount(), 1000*h.GetSampleSum()/float64(h.GetSampleCount()))

	// At SIGTERM the group cannot be deleted either: reported, bounded by
	// the shutdown budget, and the runtime exits.
	e.em.Stop()
	require.Contains(t, e.em.Output(), "pushgateway: delete group")
}

// lostFlushes returns the Pushgateway exporter's failed and overrun flushes.
func lostFlushes(fams map[string]*dto.MetricFamily) float64 {
	var n float64
	for _, name := range []string{"faas_telemetry_flush_failures_total", "faas_telemetry_flush_overruns_total"} {
		for _, m := range fams[name].GetMetric() {
			if strings.Contains(labels(m)["flusher"], "pushgateway") {
				n += m.GetCounter().GetValue()
			}
		}
	}
	return n
}

// skippedFlushes returns the flush points that skipped the Pushgateway
// exporter while it backed off.
func skippedFlushes(fams map[string]*dto.MetricFamily) float64 {
	var n float64
	for _, m := range fams["faas_telemetry_flush_skipped_total"].GetMetric() {
		if strings.Contains(labels(m)["flusher"], "pushgateway") {
			n += m.GetCounter().GetValue()
		}
	}
	return n
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, lp := range m.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}

// matches reports whether m has every label of want.
func matches(m *dto.Metric, want map[string]string) bool {
	got := labels(m)
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// sum adds the counter or gauge values of the series of name that carry
// the labels of want.
func sum(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	var s float64
	for _, m := range fams[name].GetMetric() {
		if matches(m, want) {
			s += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return s
}

// byLabel sums a counter by one label, leaving out zeros.
func byLabel(fams map[string]*dto.MetricFamily, name, label string) map[string]float64 {
	out := map[string]float64{}
	for _, m := range fams[name].GetMetric() {
		if v := m.GetCounter().GetValue(); v != 0 {
			out[labels(m)[label]] += v
		}
	}
	return out
}

// histogram returns the single series of a histogram family.
func histogram(fams map[string]*dto.MetricFamily, name string) *dto.Histogram {
	ms := fams[name].GetMetric()
	if len(ms) != 1 {
		return nil
	}
	return ms[0].GetHistogram()
}

// seriesOf counts the series Prometheus stores for mf: buckets, _sum and
// _count of a histogram; quantiles, _sum and _count of a summary; one
// otherwise.
func seriesOf(mf *dto.MetricFamily) int {
	n := 0
	for _, m := range mf.GetMetric() {
		switch mf.GetType() {
		case dto.MetricType_HISTOGRAM:
			n += len(m.GetHistogram().GetBucket()) + 2
		case dto.MetricType_SUMMARY:
			n += len(m.GetSummary().GetQuantile()) + 2
		default:
			n++
		}
	}
	return n
}
