package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// DefaultRuntimeCollectorsMaxAge is how long the Go runtime and process
// collectors' values are reused before they are read again (see
// [WithRuntimeCollectorsMaxAge]).
const DefaultRuntimeCollectorsMaxAge = time.Second

// cachedCollector reads an expensive collector (procfs files, runtime
// metrics) at most once per maxAge and repeats its last values in between,
// so that a flush after every invocation does not re-read /proc each time.
// The metrics it repeats are frozen copies: their descriptors are computed
// once per read, not once per gather.
type cachedCollector struct {
	inner  prometheus.Collector
	maxAge time.Duration
	now    func() time.Time

	mu   sync.Mutex
	read time.Time           // when last was collected; zero: never
	last []prometheus.Metric // guarded by mu
}

func newCachedCollector(inner prometheus.Collector, maxAge time.Duration) *cachedCollector {
	return &cachedCollector{inner: inner, maxAge: maxAge, now: time.Now}
}

// Describe implements prometheus.Collector with the inner collector's
// descriptors, so that registration checks see the same metrics.
func (c *cachedCollector) Describe(ch chan<- *prometheus.Desc) { c.inner.Describe(ch) }

// Collect implements prometheus.Collector.
func (c *cachedCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.now(); c.read.IsZero() || now.Sub(c.read) >= c.maxAge || now.Before(c.read) {
		c.last = c.refresh(c.last[:0])
		c.read = now
	}
	for _, m := range c.last {
		ch <- m
	}
}

// refresh collects the inner collector and appends frozen copies of its
// metrics to dst. A metric that fails to write (an invalid metric) is kept
// as it is, so that every gather reports its error.
func (c *cachedCollector) refresh(dst []prometheus.Metric) []prometheus.Metric {
	in := make(chan prometheus.Metric, 16)
	go func() {
		defer close(in)
		c.inner.Collect(in)
	}()
	for m := range in {
		pb := &dto.Metric{}
		if err := m.Write(pb); err != nil {
			dst = append(dst, m)
			continue
		}
		dst = append(dst, frozenMetric{desc: m.Desc(), pb: pb})
	}
	return dst
}

// frozenMetric is one collected value, written again on every gather.
type frozenMetric struct {
	desc *prometheus.Desc
	pb   *dto.Metric
}

// Desc implements prometheus.Metric.
func (m frozenMetric) Desc() *prometheus.Desc { return m.desc }

// Write implements prometheus.Metric. The written message shares its parts
// with the frozen copy; gatherers only read them.
func (m frozenMetric) Write(out *dto.Metric) error {
	out.Label = m.pb.Label
	out.Gauge = m.pb.Gauge
	out.Counter = m.pb.Counter
	out.Summary = m.pb.Summary
	out.Untyped = m.pb.Untyped
	out.Histogram = m.pb.Histogram
	out.TimestampMs = m.pb.TimestampMs
	return nil
}

// captureRegisterer keeps the collector a wrapping Registerer hands it, so
// that the const labels are wrapped in once, inside the cache.
type captureRegisterer struct{ got prometheus.Collector }

func (r *captureRegisterer) Register(c prometheus.Collector) error {
	r.got = c
	return nil
}

func (r *captureRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		_ = r.Register(c)
	}
}

func (r *captureRegisterer) Unregister(prometheus.Collector) bool { return false }

// withConstLabels returns c with labels added to every metric it collects.
func withConstLabels(c prometheus.Collector, labels prometheus.Labels) prometheus.Collector {
	if len(labels) == 0 {
		return c
	}
	capture := &captureRegisterer{}
	_ = prometheus.WrapRegistererWith(labels, capture).Register(c)
	return capture.got
}

var (
	_ prometheus.Collector  = (*cachedCollector)(nil)
	_ prometheus.Metric     = frozenMetric{}
	_ prometheus.Registerer = (*captureRegisterer)(nil)
)
