package metrics

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// GatherVisitor reads a prometheus.Gatherer as [Series], for collectors
// that are not Lumen's instruments: it gathers at most once per max age and
// hands out the last gather's series in between. A Recorder uses one for
// the other collectors on its registry; exporters that read an
// exporters.SeriesSource can read any registry through one.
//
// Series IDs are dense and stable: a series (a metric name and label set)
// keeps the ID of its first gather, also when it disappears from a gather
// and comes back. Counters become [KindCounter], gauges and untyped metrics
// [KindGauge], histograms [KindHistogram] (native-only histograms as one
// bucket), summaries [KindSummary]. OTelName is the Prometheus name, the
// unit is derived from its suffix (_seconds: s, _bytes: By, _ratio: 1), and
// a label's key is its name (faas.name for faas_name). Start is the
// metric's created timestamp when it has one, else when it was first seen.
type GatherVisitor struct {
	g       prometheus.Gatherer
	maxAge  time.Duration
	onError func(error)
	ids     *seriesIDs
	now     func() time.Time
	scratch scratchPool

	mu    sync.RWMutex
	read  time.Time // when last gathered; zero: never
	gen   uint64    // gathers so far
	byKey map[string]*gatheredSeries
	list  []*gatheredSeries // by first sight
	key   []byte
}

// gatheredSeries is one series of the last gathers.
type gatheredSeries struct {
	s   Series
	gen uint64 // the last gather that had it
}

// NewGatherVisitor returns a GatherVisitor of g that gathers at most once
// per maxAge (on every Visit when maxAge <= 0) and passes gather errors,
// wrapped, to onError (nil: ignored). A gather that fails in part still
// delivers what it gathered.
func NewGatherVisitor(g prometheus.Gatherer, maxAge time.Duration, onError func(error)) *GatherVisitor {
	return newGatherVisitor(g, maxAge, onError, &seriesIDs{})
}

func newGatherVisitor(g prometheus.Gatherer, maxAge time.Duration, onError func(error), ids *seriesIDs) *GatherVisitor {
	return &GatherVisitor{g: g, maxAge: maxAge, onError: onError, ids: ids, now: time.Now,
		byKey: map[string]*gatheredSeries{}}
}

// Visit calls visit for every series of the last gather, gathering first
// if that is older than the max age. The Series is valid only during the
// call; visit must not call Visit.
func (v *GatherVisitor) Visit(visit func(*Series)) {
	sc := v.scratch.get()
	defer v.scratch.put(sc)
	v.visitInto(sc, visit, false)
}

// VisitFresh is Visit with a gather now, whatever the age of the last.
func (v *GatherVisitor) VisitFresh(visit func(*Series)) {
	sc := v.scratch.get()
	defer v.scratch.put(sc)
	v.visitInto(sc, visit, true)
}

func (v *GatherVisitor) visitInto(sc *scratch, visit func(*Series), fresh bool) {
	v.refresh(fresh)
	v.mu.RLock()
	defer v.mu.RUnlock()
	for _, g := range v.list {
		if g.gen == v.gen {
			sc.series = g.s
			visit(&sc.series)
		}
	}
}

// refresh gathers if the last gather is older than the max age.
func (v *GatherVisitor) refresh(force bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	if !force && !v.read.IsZero() && now.Sub(v.read) < v.maxAge && !now.Before(v.read) {
		return
	}
	mfs, err := v.g.Gather()
	if err != nil && v.onError != nil {
		v.onError(fmt.Errorf("metrics: gather: %w", err))
	}
	v.read = now
	v.gen++
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			v.update(mf, m, now)
		}
	}
}

// update records the gathered metric m of family mf.
func (v *GatherVisitor) update(mf *dto.MetricFamily, m *dto.Metric, now time.Time) {
	name := mf.GetName()
	v.key = append(v.key[:0], name...)
	for _, lp := range m.GetLabel() {
		v.key = append(v.key, 0xff)
		v.key = append(v.key, lp.GetName()...)
		v.key = append(v.key, 0)
		v.key = append(v.key, lp.GetValue()...)
	}
	g := v.byKey[string(v.key)]
	if g == nil {
		g = &gatheredSeries{s: Series{
			ID: v.ids.take(), Name: name, OTelName: name, Unit: unitFromName(name), Start: now,
		}}
		for _, lp := range m.GetLabel() {
			g.s.Labels = append(g.s.Labels, Label{Name: lp.GetName(), Key: constLabelKey(lp.GetName()), Value: lp.GetValue()})
		}
		v.byKey[string(v.key)] = g
		v.list = append(v.list, g)
	}
	g.gen = v.gen
	s := &g.s
	s.Help = mf.GetHelp()
	s.Value, s.Count, s.Sum = 0, 0, 0
	switch mf.GetType() {
	case dto.MetricType_COUNTER:
		s.Kind, s.Value = KindCounter, m.GetCounter().GetValue()
		setStart(s, m.GetCounter().GetCreatedTimestamp().AsTime())
	case dto.MetricType_GAUGE:
		s.Kind, s.Value = KindGauge, m.GetGauge().GetValue()
	case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
		s.Kind = KindHistogram
		h := m.GetHistogram()
		s.Count, s.Sum = h.GetSampleCount(), h.GetSampleSum()
		s.Bounds, s.Counts = s.Bounds[:0], s.Counts[:0]
		var below uint64
		for _, b := range h.GetBucket() {
			if math.IsInf(b.GetUpperBound(), 1) {
				continue
			}
			c := b.GetCumulativeCount()
			s.Bounds = append(s.Bounds, b.GetUpperBound())
			s.Counts = append(s.Counts, c-min(c, below))
			below = max(below, c)
		}
		s.Counts = append(s.Counts, s.Count-min(s.Count, below))
		setStart(s, h.GetCreatedTimestamp().AsTime())
	case dto.MetricType_SUMMARY:
		s.Kind = KindSummary
		sm := m.GetSummary()
		s.Count, s.Sum = sm.GetSampleCount(), sm.GetSampleSum()
		s.Quantiles = s.Quantiles[:0]
		for _, q := range sm.GetQuantile() {
			s.Quantiles = append(s.Quantiles, Quantile{Quantile: q.GetQuantile(), Value: q.GetValue()})
		}
		setStart(s, sm.GetCreatedTimestamp().AsTime())
	default:
		s.Kind, s.Value = KindGauge, m.GetUntyped().GetValue()
	}
}

// setStart takes a created timestamp as the start, when there is one.
func setStart(s *Series, created time.Time) {
	if created.Unix() > 0 {
		s.Start = created
	}
}

// unitFromName derives a UCUM unit from a Prometheus name's suffix.
func unitFromName(name string) string {
	base := strings.TrimSuffix(name, "_total")
	switch {
	case strings.HasSuffix(base, "_seconds"):
		return unitSeconds
	case strings.HasSuffix(base, "_bytes"):
		return unitBytes
	case strings.HasSuffix(base, "_ratio"):
		return unitRatio
	}
	return ""
}
