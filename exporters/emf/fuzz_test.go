package emf_test

import (
	"bytes"
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
