package emf_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/emf"
)

// Whatever the label values and constant dimensions, every line written is
// a valid EMF document and the counter's value is not lost.
func FuzzDocuments(f *testing.F) {
	f.Add("http", "orders", 3.0)
	f.Add("", " ", 0.5)
	f.Add("Ærror\x00\n\"quoted\"", "ser\tvice", 1e300)
	f.Add("_aws", "x", 1.0)
	f.Fuzz(func(t *testing.T, label, service string, v float64) {
		if v <= 0 || v > 1e300 {
			t.Skip("counters only go up, by finite amounts")
		}
		reg := prometheus.NewRegistry()
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fuzz_total", Help: "h"}, []string{"l"})
		reg.MustRegister(c)
		child, err := c.GetMetricWithLabelValues(label)
		if err != nil {
			t.Skip("not a valid label value for client_golang")
		}
		child.Add(v)
		var dims []emf.Option
		if service != "" {
			dims = append(dims, emf.WithDimensions(map[string]string{"service": service}))
		}
		var out bytes.Buffer
		e, err := emf.New(gathered(reg), append(dims, emf.WithWriter(&out), emf.WithClock(clock))...)
		if err != nil {
			require.ErrorIs(t, err, emf.ErrInvalidOption)
			return
		}
		docs, err := flushDocs(t, e, &out)
		require.NoError(t, err)
		require.Len(t, docs, 1)
		require.InDelta(t, v, docs[0].Values["fuzz_total"], v*1e-12)
		require.NoError(t, e.Shutdown(t.Context()))
	})
}

// Whatever the bounds and the observations, a histogram's distribution is a
// valid EMF value (every value within Min and Max, Sum within Count × [Min,
// Max]) that counts every observation once.
func FuzzDistributions(f *testing.F) {
	f.Add(0.1, 1.0, 0.05, 0.5, 5.0, -3.0)
	f.Add(-1.0, 1.0, -5.0, 0.0, 7.0, 2.0)
	f.Add(1e-9, 1e9, 1e12, 1e-12, 0.0, 3.0)
	f.Fuzz(func(t *testing.T, b1, b2, v1, v2, v3, v4 float64) {
		for _, x := range []float64{b1, b2, v1, v2, v3, v4} {
			if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e100 {
				t.Skip("finite observations of a sane size")
			}
		}
		bounds := []float64{min(b1, b2), max(b1, b2)}
		if bounds[0] == bounds[1] {
			bounds = bounds[:1]
		}
		reg := prometheus.NewRegistry()
		h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "fuzz_seconds", Help: "h", Buckets: bounds})
		reg.MustRegister(h)
		var out bytes.Buffer
		e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock))
		require.NoError(t, err)
		var total float64 // the cumulative sum: a delta of it is as precise as it is large
		for _, batch := range [][]float64{{v1, v2, v3}, {v4}} {
			var sum float64
			for _, v := range batch {
				h.Observe(v)
				sum += v
				total += math.Abs(v)
			}
			docs, err := flushDocs(t, e, &out)
			require.NoError(t, err)
			require.Len(t, docs, 1)
			d := docs[0].Dists["fuzz_seconds"]
			require.NotNil(t, d)
			require.InDelta(t, float64(len(batch)), d.Count, 0)
			require.InDelta(t, sum, d.Sum, 1e-9*math.Max(1, total))
		}
		require.NoError(t, e.Shutdown(t.Context()))
	})
}
