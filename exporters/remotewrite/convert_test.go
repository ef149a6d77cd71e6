package remotewrite

import (
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"
)

// TestSeriesAreWhatAScrapeStores compares the series of a write with
// prometheus/common's own conversion of the same families into samples
// (expfmt.ExtractSamples), plus the target labels.
func TestSeriesAreWhatAScrapeStores(t *testing.T) {
	tests := []struct {
		name       string
		collectors func() []prometheus.Collector
	}{
		{"counters with labels", func() []prometheus.Collector {
			c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "h"}, []string{"a", "b"})
			c.WithLabelValues("x", "1").Add(3)
			c.WithLabelValues("y", "").Inc()
			return []prometheus.Collector{c}
		}},
		{"gauge and untyped", func() []prometheus.Collector {
			g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "g", Help: "h", ConstLabels: prometheus.Labels{"z": "1"}})
			g.Set(-2.5)
			return []prometheus.Collector{g, prometheus.NewUntypedFunc(prometheus.UntypedOpts{Name: "u", Help: "h"}, func() float64 { return 42 })}
		}},
		{"classic histogram with default buckets", func() []prometheus.Collector {
			h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "h_seconds", Help: "h", Buckets: prometheus.DefBuckets}, []string{"trigger"})
			for _, v := range []float64{0.001, 0.3, 7, 100} {
				h.WithLabelValues("http").Observe(v)
			}
			return []prometheus.Collector{h}
		}},
		{"histogram with classic and native buckets", func() []prometheus.Collector {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "hn_seconds", Help: "h", Buckets: []float64{0.1, 1e6}, NativeHistogramBucketFactor: 1.1})
			h.Observe(0.2)
			return []prometheus.Collector{h}
		}},
		{"summary", func() []prometheus.Collector {
			s := prometheus.NewSummary(prometheus.SummaryOpts{Name: "s_seconds", Help: "h", Objectives: map[float64]float64{0.5: 0.05, 0.99: 0.001}})
			s.Observe(1)
			s.Observe(3)
			return []prometheus.Collector{s}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			reg.MustRegister(tc.collectors()...)
			mfs, err := reg.Gather()
			require.NoError(t, err)
			vec, err := expfmt.ExtractSamples(&expfmt.DecodeOptions{Timestamp: 1}, mfs...)
			require.NoError(t, err)
			want := map[string]float64{}
			for _, s := range vec {
				m := decodedSeries{Labels: map[string]string{"job": "fn", "instance": "env1"}}
				for n, v := range s.Metric {
					if v != "" {
						m.Labels[string(n)] = string(v)
					}
				}
				want[m.key()] = float64(s.Value)
			}

			got := writeOnce(t, reg)
			require.Equal(t, want, got)
		})
	}
}

// writeOnce flushes g once to a fake receiver and returns series key ->
// value of the single request.
func writeOnce(t *testing.T, g prometheus.Gatherer, opts ...Option) map[string]float64 {
	t.Helper()
	lambdaEnv(t, nil)
	rcv := newFakeReceiver(t, http.StatusNoContent)
	e, err := New(g, append([]Option{WithURL(rcv.URL), WithJob("fn"), WithInstance("env1")}, opts...)...)
	require.NoError(t, err)
	require.NoError(t, e.ForceFlush(t.Context()))
	require.NoError(t, e.Shutdown(t.Context()))
	reqs := rcv.Received()
	require.Len(t, reqs, 2)
	got := map[string]float64{}
	for _, s := range reqs[0].Series {
		require.Len(t, s.Samples, 1)
		got[s.key()] = s.Samples[0].value
	}
	require.Len(t, got, len(reqs[0].Series), "no series twice in one request")
	return got
}

func TestTargetLabelsWinAndClashesAreKept(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "h"}, []string{"instance", "job", "region"})
	c.WithLabelValues("their-instance", "their-job", "eu").Inc()
	reg.MustRegister(c)
	got := writeOnce(t, reg, WithLabel("team", "payments"))
	require.Equal(t, map[string]float64{
		`c_total{exported_instance="their-instance",exported_job="their-job",instance="env1",job="fn",region="eu",team="payments"}`: 1,
	}, got)
}

func TestNativeOnlyHistogramSendsSumAndCount(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "n_seconds", Help: "h", NativeHistogramBucketFactor: 1.1})
	h.Observe(0.25)
	h.Observe(0.5)
	reg.MustRegister(h)
	got := writeOnce(t, reg)
	require.Equal(t, map[string]float64{
		`n_seconds_sum{instance="env1",job="fn"}`:   0.75,
		`n_seconds_count{instance="env1",job="fn"}`: 2,
	}, got)
}
