package metrics

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// histogramVec is what the Recorder needs of a histogram family with
// labels: client_golang's *prometheus.HistogramVec, or a [classicVec] when
// native histograms are off.
type histogramVec interface {
	prometheus.Collector
	WithLabelValues(lvs ...string) prometheus.Observer
}

// histogramOne is what the Recorder needs of a histogram without labels.
type histogramOne interface {
	prometheus.Collector
	prometheus.Observer
}

// newHistogramVec returns client_golang's histogram family when native
// histograms are on, and Lumen's classic-only one otherwise, which writes
// the same exposition at a fraction of the allocations per gather.
func newHistogramVec(o prometheus.HistogramOpts, labels []string, native bool) histogramVec {
	if native {
		return prometheus.NewHistogramVec(o, labels)
	}
	return newClassicVec(o, labels)
}

// newHistogram is newHistogramVec without labels.
func newHistogram(o prometheus.HistogramOpts, native bool) histogramOne {
	if native {
		return prometheus.NewHistogram(o)
	}
	return newClassicVec(o, nil).child(nil)
}

// classicVec is a family of classic histograms (cumulative buckets, count
// and sum), for the Recorder's own histograms when native histograms are
// off. It writes what client_golang's histograms write for the same
// observations, created timestamp included, but builds each series' buckets
// in a few allocations instead of three per bucket: every metrics flush
// gathers every histogram.
type classicVec struct {
	desc   *prometheus.Desc
	upper  []float64 // bucket upper bounds, shared read-only by every write
	labels int

	mu       sync.Mutex
	children map[string]*classicHistogram
}

func newClassicVec(o prometheus.HistogramOpts, labels []string) *classicVec {
	return &classicVec{
		desc:     prometheus.NewDesc(o.Name, o.Help, labels, o.ConstLabels),
		upper:    cloneBuckets(o.Buckets),
		labels:   len(labels),
		children: map[string]*classicHistogram{},
	}
}

// WithLabelValues returns the series of the label values, created on first
// use. Like client_golang's, it panics on a wrong number of values.
func (v *classicVec) WithLabelValues(lvs ...string) prometheus.Observer {
	return v.child(lvs)
}

func (v *classicVec) child(lvs []string) *classicHistogram {
	if len(lvs) != v.labels {
		panic("metrics: " + v.desc.String() + ": wrong number of label values")
	}
	key := strings.Join(lvs, "\xff")
	v.mu.Lock()
	defer v.mu.Unlock()
	h := v.children[key]
	if h == nil {
		h = &classicHistogram{
			vec:     v,
			pairs:   prometheus.MakeLabelPairs(v.desc, lvs),
			created: timestamppb.New(time.Now()),
			counts:  make([]uint64, len(v.upper)),
		}
		v.children[key] = h
	}
	return h
}

// Describe implements prometheus.Collector.
func (v *classicVec) Describe(ch chan<- *prometheus.Desc) { ch <- v.desc }

// Collect implements prometheus.Collector.
func (v *classicVec) Collect(ch chan<- prometheus.Metric) {
	v.mu.Lock()
	children := make([]*classicHistogram, 0, len(v.children))
	for _, h := range v.children {
		children = append(children, h)
	}
	v.mu.Unlock()
	for _, h := range children {
		ch <- h
	}
}

// classicHistogram is one series of a classicVec.
type classicHistogram struct {
	vec     *classicVec
	pairs   []*dto.LabelPair       // shared read-only by every write
	created *timestamppb.Timestamp // shared read-only by every write

	mu     sync.Mutex
	counts []uint64 // per bucket, not cumulative
	count  uint64
	sum    float64
}

// Observe implements prometheus.Observer: v is counted in the first bucket
// whose upper bound is at least v (NaN in none but the implicit +Inf).
func (h *classicHistogram) Observe(v float64) {
	i := sort.SearchFloat64s(h.vec.upper, v)
	h.mu.Lock()
	if i < len(h.counts) {
		h.counts[i]++
	}
	h.count++
	h.sum += v
	h.mu.Unlock()
}

// Desc implements prometheus.Metric.
func (h *classicHistogram) Desc() *prometheus.Desc { return h.vec.desc }

// classicSnapshot is one write's histogram message and the values it points
// to, allocated together.
type classicSnapshot struct {
	hist  dto.Histogram
	count uint64
	sum   float64
}

// Write implements prometheus.Metric.
func (h *classicHistogram) Write(out *dto.Metric) error {
	n := len(h.vec.upper)
	snap := &classicSnapshot{}
	cum := make([]uint64, n)
	buckets := make([]dto.Bucket, n)
	ptrs := make([]*dto.Bucket, n)
	h.mu.Lock()
	copy(cum, h.counts)
	snap.count, snap.sum = h.count, h.sum
	h.mu.Unlock()
	var c uint64
	for i := range n {
		c += cum[i]
		cum[i] = c
		buckets[i].CumulativeCount = &cum[i]
		buckets[i].UpperBound = &h.vec.upper[i]
		ptrs[i] = &buckets[i]
	}
	snap.hist.SampleCount = &snap.count
	snap.hist.SampleSum = &snap.sum
	snap.hist.Bucket = ptrs
	snap.hist.CreatedTimestamp = h.created
	out.Label = h.pairs
	out.Histogram = &snap.hist
	return nil
}

// Describe implements prometheus.Collector for a histogram without labels.
func (h *classicHistogram) Describe(ch chan<- *prometheus.Desc) { ch <- h.vec.desc }

// Collect implements prometheus.Collector for a histogram without labels.
func (h *classicHistogram) Collect(ch chan<- prometheus.Metric) { ch <- h }

var (
	_ histogramVec      = (*classicVec)(nil)
	_ histogramVec      = (*prometheus.HistogramVec)(nil)
	_ histogramOne      = (*classicHistogram)(nil)
	_ prometheus.Metric = (*classicHistogram)(nil)
)
