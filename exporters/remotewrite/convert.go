package remotewrite

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	dto "github.com/prometheus/client_model/go"
)

// label is one name/value pair of a series.
type label struct{ name, value string }

// seriesRef is one series of a batch: labels[start:end] of the batch's
// arena, sorted by name, and the sample value.
type seriesRef struct {
	start, end int
	value      float64
}

// batch holds the series of one flush. It is reused from flush to flush so
// that steady-state flushes allocate little.
type batch struct {
	target []label // job, instance and extra labels, sorted by name
	arena  []label
	series []seriesRef
	// floats caches le and quantile label values by their float.
	floats map[float64]string
}

// newBatch returns a batch whose series carry the target labels.
func newBatch(target map[string]string) *batch {
	b := &batch{floats: map[float64]string{}}
	for name, value := range target {
		b.target = append(b.target, label{name, value})
	}
	slices.SortFunc(b.target, func(x, y label) int { return cmp.Compare(x.name, y.name) })
	return b
}

// reset empties the batch, keeping its memory.
func (b *batch) reset() {
	b.arena = b.arena[:0]
	b.series = b.series[:0]
}

// add converts the gathered families into series, one sample each, named
// and labelled as a scrape of the same registry would store them.
func (b *batch) add(mfs []*dto.MetricFamily) {
	for _, mf := range mfs {
		name := mf.GetName()
		for _, m := range mf.GetMetric() {
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				b.addSeries(name, m, "", "", m.GetCounter().GetValue())
			case dto.MetricType_GAUGE:
				b.addSeries(name, m, "", "", m.GetGauge().GetValue())
			case dto.MetricType_UNTYPED:
				b.addSeries(name, m, "", "", m.GetUntyped().GetValue())
			case dto.MetricType_SUMMARY:
				s := m.GetSummary()
				for _, q := range s.GetQuantile() {
					b.addSeries(name, m, "quantile", b.formatFloat(q.GetQuantile()), q.GetValue())
				}
				b.addSeries(name+"_sum", m, "", "", s.GetSampleSum())
				b.addSeries(name+"_count", m, "", "", float64(s.GetSampleCount()))
			case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
				b.addHistogram(name, m)
			}
		}
	}
}

// addHistogram adds the classic buckets (with +Inf), _sum and _count of a
// histogram; one with native buckets only gets _sum and _count.
func (b *batch) addHistogram(name string, m *dto.Metric) {
	h := m.GetHistogram()
	count := float64(h.GetSampleCount())
	if h.SampleCountFloat != nil {
		count = h.GetSampleCountFloat()
	}
	buckets := h.GetBucket()
	nativeOnly := len(buckets) == 0 && (h.Schema != nil || h.ZeroThreshold != nil)
	if !nativeOnly {
		bucketName := name + "_bucket"
		for _, bk := range buckets {
			v := float64(bk.GetCumulativeCount())
			if bk.CumulativeCountFloat != nil {
				v = bk.GetCumulativeCountFloat()
			}
			b.addSeries(bucketName, m, "le", b.formatFloat(bk.GetUpperBound()), v)
		}
		if len(buckets) == 0 || !math.IsInf(buckets[len(buckets)-1].GetUpperBound(), +1) {
			b.addSeries(bucketName, m, "le", "+Inf", count)
		}
	}
	b.addSeries(name+"_sum", m, "", "", h.GetSampleSum())
	b.addSeries(name+"_count", m, "", "", count)
}

// addSeries appends one series: __name__, the target labels, the metric's
// non-empty labels (renamed exported_<name> where they clash with a target
// label) and
// the optional extra label (le or quantile).
func (b *batch) addSeries(name string, m *dto.Metric, extraName, extraValue string, v float64) {
	start := len(b.arena)
	b.arena = append(b.arena, label{"__name__", name})
	b.arena = append(b.arena, b.target...)
	for _, lp := range m.GetLabel() {
		if lp.GetValue() == "" {
			continue // an empty value is no label, as in a scrape
		}
		n := lp.GetName()
		if b.isTarget(n) {
			n = "exported_" + n
		}
		b.arena = append(b.arena, label{n, lp.GetValue()})
	}
	if extraName != "" {
		b.arena = append(b.arena, label{extraName, extraValue})
	}
	slices.SortFunc(b.arena[start:], func(x, y label) int { return cmp.Compare(x.name, y.name) })
	b.series = append(b.series, seriesRef{start: start, end: len(b.arena), value: v})
}

func (b *batch) isTarget(name string) bool {
	for _, t := range b.target {
		if t.name == name {
			return true
		}
	}
	return false
}

// formatFloat formats an le or quantile value as the text exposition does.
func (b *batch) formatFloat(f float64) string {
	if s, ok := b.floats[f]; ok {
		return s
	}
	var s string
	switch {
	case math.IsInf(f, +1):
		s = "+Inf"
	case math.IsInf(f, -1):
		s = "-Inf"
	case math.IsNaN(f):
		s = "NaN"
	default:
		s = strconv.FormatFloat(f, 'g', -1, 64)
	}
	if len(b.floats) < 1024 {
		b.floats[f] = s
	}
	return s
}
