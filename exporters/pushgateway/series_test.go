package pushgateway

import (
	"bytes"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"
)

// TestSeriesCountMatchesExposition checks seriesCount against the number of
// sample lines in the text exposition of the same registry.
func TestSeriesCountMatchesExposition(t *testing.T) {
	tests := []struct {
		name       string
		collectors func() []prometheus.Collector
	}{
		{"counters and gauges", func() []prometheus.Collector {
			c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "h"}, []string{"a"})
			c.WithLabelValues("x").Inc()
			c.WithLabelValues("y").Inc()
			return []prometheus.Collector{c, prometheus.NewGauge(prometheus.GaugeOpts{Name: "g", Help: "h"})}
		}},
		{"classic histogram", func() []prometheus.Collector {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "h_seconds", Help: "h", Buckets: prometheus.DefBuckets})
			h.Observe(0.3)
			return []prometheus.Collector{h}
		}},
		{"histogram without buckets", func() []prometheus.Collector {
			return []prometheus.Collector{prometheus.NewHistogram(prometheus.HistogramOpts{Name: "h_seconds", Help: "h", Buckets: []float64{}})}
		}},
		{"summary", func() []prometheus.Collector {
			s := prometheus.NewSummary(prometheus.SummaryOpts{Name: "s_seconds", Help: "h", Objectives: map[float64]float64{0.5: 0.05, 0.99: 0.001}})
			s.Observe(1)
			return []prometheus.Collector{s}
		}},
		{"untyped", func() []prometheus.Collector {
			return []prometheus.Collector{prometheus.NewUntypedFunc(prometheus.UntypedOpts{Name: "u", Help: "h"}, func() float64 { return 1 })}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			reg.MustRegister(tc.collectors()...)
			mfs, err := reg.Gather()
			require.NoError(t, err)
			var buf bytes.Buffer
			enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
			for _, mf := range mfs {
				require.NoError(t, enc.Encode(mf))
			}
			lines := 0
			for l := range strings.SplitSeq(buf.String(), "\n") {
				if l != "" && !strings.HasPrefix(l, "#") {
					lines++
				}
			}
			require.Equal(t, lines, seriesCount(mfs), buf.String())
		})
	}
	t.Run("native only", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "n_seconds", Help: "h", NativeHistogramBucketFactor: 1.1})
		h.Observe(0.2)
		reg.MustRegister(h)
		mfs, err := reg.Gather()
		require.NoError(t, err)
		require.Equal(t, 1, seriesCount(mfs))
	})
}
