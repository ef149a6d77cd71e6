package otlp

import (
	"math"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/lumen-rt/lumen/exporters"
)

// GathererSource returns a [SeriesSource] that gathers g at every visit
// and hands out its counters, gauges (and untyped metrics, as gauges) and
// histograms (their classic buckets) as series; summaries are skipped.
// Gathering costs what a /metrics scrape costs: prefer a source that reads
// its instruments directly, such as the metrics package's Recorder. Gather
// errors go to onError (may be nil); the series gathered are still handed
// out.
func GathererSource(g prometheus.Gatherer, onError func(error)) SeriesSource {
	return &gathererSource{g: g, onError: onError, ids: map[string]int{}}
}

// gathererSource is the SeriesSource of a Gatherer.
type gathererSource struct {
	g       prometheus.Gatherer
	onError func(error)

	mu     sync.Mutex
	ids    map[string]int // series identity → Series.ID
	s      exporters.Series
	key    strings.Builder
	labels []exporters.Label
	bounds []float64
	counts []uint64
}

// Visit gathers and hands each series to visit.
func (gs *gathererSource) Visit(visit func(*exporters.Series)) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	mfs, err := gs.g.Gather()
	if err != nil && gs.onError != nil {
		gs.onError(err)
	}
	for _, mf := range mfs {
		kind := kindOf(mf.GetType())
		if kind == 0 {
			continue
		}
		for _, m := range mf.GetMetric() {
			gs.s = exporters.Series{
				Name: mf.GetName(), OTelName: mf.GetName(), Unit: mf.GetUnit(), Help: mf.GetHelp(), Kind: kind,
				ID: gs.id(mf.GetName(), m.GetLabel()), Labels: gs.labels,
			}
			switch kind {
			case exporters.KindCounter:
				gs.s.Value = m.GetCounter().GetValue()
				gs.s.Start = created(m.GetCounter().GetCreatedTimestamp())
			case exporters.KindGauge:
				gs.s.Value = m.GetGauge().GetValue()
				if mf.GetType() == dto.MetricType_UNTYPED {
					gs.s.Value = m.GetUntyped().GetValue()
				}
			case exporters.KindHistogram:
				gs.histogram(m.GetHistogram())
			}
			visit(&gs.s)
		}
	}
}

// kindOf returns the series kind of a Prometheus metric type, 0 for a
// summary.
func kindOf(t dto.MetricType) exporters.Kind {
	switch t {
	case dto.MetricType_COUNTER:
		return exporters.KindCounter
	case dto.MetricType_GAUGE, dto.MetricType_UNTYPED:
		return exporters.KindGauge
	case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
		return exporters.KindHistogram
	}
	return 0
}

// id returns the Series.ID of a series, giving a new one on first sight; it
// also fills gs.labels.
func (gs *gathererSource) id(name string, labels []*dto.LabelPair) int {
	gs.key.Reset()
	gs.key.WriteString(name)
	gs.labels = gs.labels[:0]
	for _, l := range labels {
		gs.labels = append(gs.labels, exporters.Label{Name: l.GetName(), Key: l.GetName(), Value: l.GetValue()})
		gs.key.WriteByte(0xff)
		gs.key.WriteString(l.GetName())
		gs.key.WriteByte(0xfe)
		gs.key.WriteString(l.GetValue())
	}
	key := gs.key.String()
	id, ok := gs.ids[key]
	if !ok {
		id = len(gs.ids)
		gs.ids[key] = id
	}
	return id
}

// histogram fills the histogram fields of gs.s from h's classic buckets:
// the bounds below +Inf, and the count per bucket (Prometheus counts are
// cumulative). A histogram without classic buckets is one bucket.
func (gs *gathererSource) histogram(h *dto.Histogram) {
	gs.bounds, gs.counts = gs.bounds[:0], gs.counts[:0]
	var below uint64
	for _, b := range h.GetBucket() {
		if math.IsInf(b.GetUpperBound(), +1) {
			break
		}
		gs.bounds = append(gs.bounds, b.GetUpperBound())
		gs.counts = append(gs.counts, b.GetCumulativeCount()-min(below, b.GetCumulativeCount()))
		below = b.GetCumulativeCount()
	}
	gs.counts = append(gs.counts, h.GetSampleCount()-min(below, h.GetSampleCount()))
	gs.s.Count, gs.s.Sum = h.GetSampleCount(), h.GetSampleSum()
	gs.s.Bounds, gs.s.Counts = gs.bounds, gs.counts
	gs.s.Start = created(h.GetCreatedTimestamp())
}

// created returns a created timestamp as a time, the zero time when absent.
func created(ts *timestamppb.Timestamp) (t time.Time) {
	if ts == nil {
		return t
	}
	return ts.AsTime()
}
