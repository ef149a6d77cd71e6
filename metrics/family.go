package metrics

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// family is one of the Recorder's metrics: its names under both
// conventions, its kind and labels, and its series. It is the
// prometheus.Collector that exposes them on the registry, and what
// [Recorder.Visit] reads.
type family struct {
	name, otelName, unit, help string
	kind                       Kind
	desc                       *prometheus.Desc
	constLabels                []Label  // sorted by name
	labelNames                 []string // the variable labels, in order
	labelKeys                  []string // their OpenTelemetry keys
	bounds                     []float64
	native                     bool
	ids                        *seriesIDs

	mu    sync.Mutex // serialises the creation of series
	all   atomic.Pointer[[]*series]
	index atomic.Pointer[map[uint64][]*series] // by hash of the label values
}

// metricDef describes a family to create.
type metricDef struct {
	name, otelName, unit, help string
	kind                       Kind
	labels                     []string // variable label names
	bounds                     []float64
}

// seriesIDs hands out the dense series IDs of one Recorder (or of the
// Recorders sharing its families on one registry).
type seriesIDs struct {
	mu   sync.Mutex
	next int
}

func (s *seriesIDs) take() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.next
	s.next++
	return id
}

func newFamily(d metricDef, constLabels prometheus.Labels, native bool, ids *seriesIDs) *family {
	f := &family{
		name: d.name, otelName: d.otelName, unit: d.unit, help: d.help, kind: d.kind,
		desc:       prometheus.NewDesc(d.name, d.help, d.labels, constLabels),
		labelNames: d.labels,
		bounds:     d.bounds,
		native:     native && d.kind == KindHistogram,
		ids:        ids,
	}
	for name, value := range constLabels {
		f.constLabels = append(f.constLabels, Label{Name: name, Key: constLabelKey(name), Value: value})
	}
	slices.SortFunc(f.constLabels, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	for _, l := range d.labels {
		f.labelKeys = append(f.labelKeys, attributeKey(l))
	}
	empty := map[uint64][]*series{}
	f.index.Store(&empty)
	f.all.Store(&[]*series{})
	return f
}

// series is one labelled series of a family and its storage.
type series struct {
	fam     *family
	id      int
	values  []string
	labels  []Label          // the const labels, then the variable ones
	pairs   []*dto.LabelPair // shared read-only by every write
	start   time.Time
	created *timestamppb.Timestamp // shared read-only by every write
	c       counter
	g       gauge
	h       histogram
}

// with returns the series of the label values, created on first use. It
// takes no lock and does not allocate once the series exists. Like
// client_golang's WithLabelValues, it panics on a wrong number of values.
func (f *family) with(lvs ...string) *series {
	h := hashValues(lvs)
	for _, s := range (*f.index.Load())[h] {
		if slices.Equal(s.values, lvs) {
			return s
		}
	}
	return f.create(h, lvs)
}

func (f *family) create(h uint64, lvs []string) *series {
	if len(lvs) != len(f.labelNames) {
		panic("metrics: " + f.name + ": wrong number of label values")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	index := *f.index.Load()
	for _, s := range index[h] {
		if slices.Equal(s.values, lvs) {
			return s
		}
	}
	now := time.Now()
	s := &series{fam: f, id: f.ids.take(), start: now, created: timestamppb.New(now)}
	// Clone: a value may share memory with a large buffer.
	s.values = make([]string, len(lvs))
	for i, v := range lvs {
		s.values[i] = strings.Clone(v)
	}
	s.labels = slices.Grow(slices.Clone(f.constLabels), len(lvs))
	for i, v := range s.values {
		s.labels = append(s.labels, Label{Name: f.labelNames[i], Key: f.labelKeys[i], Value: v})
	}
	s.pairs = prometheus.MakeLabelPairs(f.desc, s.values)
	if f.kind == KindHistogram {
		s.h.init(f.bounds, f.native)
	}

	// Copy on write: readers hold the old map and slice, never a torn one.
	next := make(map[uint64][]*series, len(index)+1)
	for k, v := range index {
		next[k] = v
	}
	next[h] = append(slices.Clip(index[h]), s)
	all := append(slices.Clip(*f.all.Load()), s)
	f.all.Store(&all)
	f.index.Store(&next)
	return s
}

// hashValues is FNV-1a over the label values, each followed by 0xff (which
// no UTF-8 string contains).
func hashValues(lvs []string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for _, v := range lvs {
		for i := 0; i < len(v); i++ {
			h = (h ^ uint64(v[i])) * prime
		}
		h = (h ^ 0xff) * prime
	}
	return h
}

// Describe implements prometheus.Collector.
func (f *family) Describe(ch chan<- *prometheus.Desc) { ch <- f.desc }

// Collect implements prometheus.Collector.
func (f *family) Collect(ch chan<- prometheus.Metric) {
	for _, s := range *f.all.Load() {
		ch <- s
	}
}

// Desc implements prometheus.Metric.
func (s *series) Desc() *prometheus.Desc { return s.fam.desc }

// Write implements prometheus.Metric with what client_golang writes for
// the same instrument: counters and histograms carry their created
// timestamp, gauges do not.
func (s *series) Write(out *dto.Metric) error {
	out.Label = s.pairs
	switch s.fam.kind {
	case KindCounter:
		w := &struct {
			m dto.Counter
			v float64
		}{v: s.c.value()}
		w.m.Value, w.m.CreatedTimestamp = &w.v, s.created
		out.Counter = &w.m
	case KindGauge:
		w := &struct {
			m dto.Gauge
			v float64
		}{v: s.g.value()}
		w.m.Value = &w.v
		out.Gauge = &w.m
	case KindHistogram:
		out.Histogram = s.writeHistogram()
	}
	return nil
}

// histogramSnapshot is one write's histogram message and the values it
// points to, allocated together.
type histogramSnapshot struct {
	hist  dto.Histogram
	count uint64
	sum   float64
}

func (s *series) writeHistogram() *dto.Histogram {
	h := &s.h
	n := len(h.bounds)
	snap := &histogramSnapshot{}
	var (
		native []nativeCount
		zero   uint64
	)
	if h.native != nil {
		native, zero = h.native.read(nil) // before the classic buckets: see histogram
	}
	cum := make([]uint64, n+1)
	snap.count, snap.sum = h.read(cum)
	buckets := make([]dto.Bucket, n)
	ptrs := make([]*dto.Bucket, n)
	var c uint64
	for i := range n {
		c += cum[i]
		cum[i] = c
		buckets[i].CumulativeCount = &cum[i]
		buckets[i].UpperBound = &h.bounds[i]
		ptrs[i] = &buckets[i]
	}
	snap.hist.SampleCount = &snap.count
	snap.hist.SampleSum = &snap.sum
	snap.hist.Bucket = ptrs
	snap.hist.CreatedTimestamp = s.created
	if h.native != nil {
		writeNative(&snap.hist, native, zero)
	}
	return &snap.hist
}

var (
	_ prometheus.Collector = (*family)(nil)
	_ prometheus.Metric    = (*series)(nil)
)
