package otlp_test

import (
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/otlp"
)

// visited is one series as a visitor copies it.
type visited struct {
	ID       int
	Name     string
	Kind     exporters.Kind
	Labels   []exporters.Label
	Value    float64
	Count    uint64
	Sum      float64
	Bounds   []float64
	Counts   []uint64
	HasStart bool
}

func visitAll(src otlp.SeriesSource) []visited {
	var out []visited
	src.Visit(func(s *exporters.Series) {
		out = append(out, visited{ID: s.ID, Name: s.Name, Kind: s.Kind, Labels: append([]exporters.Label(nil), s.Labels...),
			Value: s.Value, Count: s.Count, Sum: s.Sum, Bounds: append([]float64(nil), s.Bounds...),
			Counts: append([]uint64(nil), s.Counts...), HasStart: !s.Start.IsZero()})
	})
	return out
}

// TestGathererSource checks the series read from a registry: kinds,
// labels, non-cumulative bucket counts, start times, and IDs that stay
// with their series.
func TestGathererSource(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "c"}, []string{"k"})
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "g", Help: "g"})
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "h", Help: "h", Buckets: []float64{1, 2}})
	u := prometheus.NewUntypedFunc(prometheus.UntypedOpts{Name: "u", Help: "u"}, func() float64 { return 7 })
	s := prometheus.NewSummary(prometheus.SummaryOpts{Name: "s", Help: "s"})
	reg.MustRegister(c, g, h, u, s)
	c.WithLabelValues("b").Add(2)
	g.Set(3)
	for _, v := range []float64{0.5, 1.5, 1.7, 9} {
		h.Observe(v)
	}
	var errs []error
	src := otlp.GathererSource(reg, func(err error) { errs = append(errs, err) })
	got := visitAll(src)
	require.Equal(t, []visited{
		{ID: 0, Name: "c_total", Kind: exporters.KindCounter, Labels: []exporters.Label{{Name: "k", Key: "k", Value: "b"}}, Value: 2, HasStart: true},
		{ID: 1, Name: "g", Kind: exporters.KindGauge, Labels: []exporters.Label{}, Value: 3},
		{ID: 2, Name: "h", Kind: exporters.KindHistogram, Labels: []exporters.Label{}, Count: 4, Sum: 12.7,
			Bounds: []float64{1, 2}, Counts: []uint64{1, 2, 1}, HasStart: true},
		{ID: 3, Name: "u", Kind: exporters.KindGauge, Labels: []exporters.Label{}, Value: 7},
	}, normalize(got))
	require.Empty(t, errs)

	c.WithLabelValues("a").Inc() // sorts first now
	got = visitAll(src)
	require.Equal(t, 4, got[0].ID, "a new series gets a new id")
	require.Equal(t, 0, got[1].ID, "an old one keeps its id")

	bad := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) { return nil, errors.New("broken collector") })
	_ = visitAll(otlp.GathererSource(bad, func(err error) { errs = append(errs, err) }))
	require.Len(t, errs, 1)
}

// normalize makes nil and empty label slices compare equal.
func normalize(vs []visited) []visited {
	for i := range vs {
		if vs[i].Labels == nil {
			vs[i].Labels = []exporters.Label{}
		}
		if len(vs[i].Bounds) == 0 {
			vs[i].Bounds = nil
		}
		if vs[i].Kind != exporters.KindHistogram {
			vs[i].Counts = nil
		}
	}
	return vs
}
