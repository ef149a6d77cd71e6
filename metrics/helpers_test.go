package metrics_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

// newRecorder returns a Recorder that ignores the environment and has no
// runtime collectors, plus the options of the test.
func newRecorder(t *testing.T, opts ...metrics.Option) *metrics.Recorder {
	t.Helper()
	base := []metrics.Option{
		metrics.WithFunctionName(""), metrics.WithMaxMemory(0), metrics.WithRuntimeCollectors(false),
	}
	r, err := metrics.New(append(base, opts...)...)
	require.NoError(t, err)
	return r
}

// series flattens a gather into "name{k=v,...}" keys: counters and gauges
// give their value; histograms give name_count and name_sum.
func series(t *testing.T, g prometheus.Gatherer) map[string]float64 {
	t.Helper()
	mfs, err := g.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := func(name string) string { return name + labelString(m.GetLabel()) }
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				out[key(mf.GetName())] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[key(mf.GetName())] = m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				out[key(mf.GetName()+"_count")] = float64(m.GetHistogram().GetSampleCount())
				out[key(mf.GetName()+"_sum")] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	return out
}

func labelString(lps []*dto.LabelPair) string {
	if len(lps) == 0 {
		return ""
	}
	m := map[string]string{}
	for _, lp := range lps {
		if lp.GetValue() != "" { // an empty label is an absent label
			m[lp.GetName()] = lp.GetValue()
		}
	}
	if len(m) == 0 {
		return ""
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%q", k, m[k]))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// seriesOf returns the keys of s that belong to metric name.
func seriesOf(s map[string]float64, name string) []string {
	var keys []string
	for k := range s {
		if k == name || strings.HasPrefix(k, name+"{") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func newTestCounter() prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Name: "app_things_total", Help: "Things."})
}
