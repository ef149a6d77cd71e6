package otlpwire

import (
	"math"
	"slices"
	"time"

	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/lumen-rt/lumen/exporters"
)

// Fields of opentelemetry.proto.metrics.v1 messages.
const (
	metricName        protowire.Number = 1
	metricDescription protowire.Number = 2
	metricUnit        protowire.Number = 3
	metricGauge       protowire.Number = 5
	metricSum         protowire.Number = 7
	metricHistogram   protowire.Number = 9

	// Gauge, Sum and Histogram.
	dataPoints      protowire.Number = 1
	dataTemporality protowire.Number = 2
	sumIsMonotonic  protowire.Number = 3

	numberAttributes protowire.Number = 7
	numberStart      protowire.Number = 2
	numberTime       protowire.Number = 3
	numberAsDouble   protowire.Number = 4

	histAttributes protowire.Number = 9
	histStart      protowire.Number = 2
	histTime       protowire.Number = 3
	histCount      protowire.Number = 4
	histSum        protowire.Number = 5
	histBuckets    protowire.Number = 6
	histBounds     protowire.Number = 7
)

// AggregationTemporality values.
const (
	temporalityDelta      = 1
	temporalityCumulative = 2
)

// Source is what [Metrics] encodes: the metrics Recorder, which hands each
// of its series to visit in turn.
type Source = exporters.SeriesSource

// Metrics encodes ExportMetricsServiceRequest messages from the series of a
// [Source]: counters as monotonic sums, gauges as gauges, histograms as
// explicit-bucket histograms. With delta temporality it keeps, per series,
// the values of the last request that was committed, so that a failed
// request's increments go with the next one. It is not safe for concurrent
// use.
type Metrics struct {
	res   *Resource
	scope *Scope
	delta bool
	// start is the start time of a cumulative series with no start of its
	// own: when the encoder was made.
	start uint64

	// last holds, by Series.ID, the values of the last committed request,
	// next those of the request being encoded; gen tells which entries of
	// next the current request wrote.
	last, next []point
	gen        uint64

	visit func(*exporters.Series)
	// The request being encoded.
	b      []byte
	now    uint64
	points int
	cur    openMetric
}

// point is a series' values at one request.
type point struct {
	gen    uint64
	time   uint64
	value  float64
	count  uint64
	sum    float64
	counts []uint64
}

// openMetric is the Metric message being written, which the next series
// joins when it has the same name and kind.
type openMetric struct {
	open         bool
	name         string
	kind         exporters.Kind
	metric, data int
}

// NewMetrics returns an encoder of series with resource res, in the scope
// named scope; with delta, counters and histograms are sent as deltas
// since the previous committed request instead of cumulatively.
func NewMetrics(res *resource.Resource, scope string, delta bool) *Metrics {
	e := &Metrics{
		res:   NewResource(res),
		scope: NewScope(instrumentation.Scope{Name: scope}),
		delta: delta,
		start: UnixNano(time.Now()),
	}
	e.visit = e.series
	return e
}

// Append appends to b the body of an ExportMetricsServiceRequest with one
// data point per series of src at time now, and returns the number of data
// points. With no data point (a delta request where nothing changed, or no
// series), it returns b unchanged and 0.
func (e *Metrics) Append(b []byte, src Source, now time.Time) ([]byte, int) {
	e.gen++
	e.now = UnixNano(now)
	e.points = 0
	e.cur = openMetric{}
	empty := len(b)
	var rm, sm int
	b, rm = Open(b, requestResource)
	b = e.res.appendHead(b)
	b, sm = Open(b, resScopes)
	e.b = e.scope.appendHead(b)
	src.Visit(e.visit)
	b = e.closeMetric(e.b)
	e.b = nil
	if e.points == 0 {
		return b[:empty], 0
	}
	b = Close(b, sm)
	return Close(b, rm), e.points
}

// Commit records the values of the last request as delivered: the next
// deltas start from them. Without Commit, the next request's deltas include
// this one's.
func (e *Metrics) Commit() {
	for i := range e.next {
		if e.next[i].gen == e.gen {
			e.last[i], e.next[i] = e.next[i], e.last[i]
		}
	}
}

// series encodes one series into e.b.
func (e *Metrics) series(s *exporters.Series) {
	switch s.Kind {
	case exporters.KindGauge:
		e.b = e.openMetric(e.b, s)
		var dp int
		e.b, dp = Open(e.b, dataPoints)
		e.b = appendLabels(e.b, numberAttributes, s.Labels)
		e.b = AppendFixed64(e.b, numberTime, e.now)
		e.b = AppendDouble(e.b, numberAsDouble, s.Value)
		e.b = Close(e.b, dp)
	case exporters.KindCounter:
		start, value, ok := e.counter(s)
		if !ok {
			return
		}
		e.b = e.openMetric(e.b, s)
		var dp int
		e.b, dp = Open(e.b, dataPoints)
		e.b = appendLabels(e.b, numberAttributes, s.Labels)
		e.b = AppendFixed64(e.b, numberStart, start)
		e.b = AppendFixed64(e.b, numberTime, e.now)
		e.b = AppendDouble(e.b, numberAsDouble, value)
		e.b = Close(e.b, dp)
	case exporters.KindHistogram:
		if !e.histogram(s) {
			return
		}
	default:
		return
	}
	e.points++
}

// counter returns the start and value of a counter's data point, and false
// when a delta has nothing to send.
func (e *Metrics) counter(s *exporters.Series) (start uint64, value float64, ok bool) {
	if !e.delta {
		return e.seriesStart(s), s.Value, true
	}
	last, had := e.lastPoint(s.ID)
	next := e.nextPoint(s.ID)
	next.time, next.value = e.now, s.Value
	if !had || s.Value < last.value { // first sight, or a reset
		return e.seriesStart(s), s.Value, s.Value != 0
	}
	return last.time, s.Value - last.value, s.Value != last.value
}

// histogram encodes a histogram series and returns true, unless a delta
// has nothing to send.
func (e *Metrics) histogram(s *exporters.Series) bool {
	start, count, sum, counts := e.seriesStart(s), s.Count, s.Sum, s.Counts
	var prev []uint64
	if e.delta {
		last, had := e.lastPoint(s.ID)
		next := e.nextPoint(s.ID)
		next.time, next.count, next.sum = e.now, s.Count, s.Sum
		next.counts = append(next.counts[:0], s.Counts...)
		if had && s.Count >= last.count && len(last.counts) == len(s.Counts) {
			start, count, sum, prev = last.time, s.Count-last.count, s.Sum-last.sum, last.counts
		}
		if count == 0 {
			return false
		}
	}
	e.b = e.openMetric(e.b, s)
	b, dp := Open(e.b, dataPoints)
	b = appendLabels(b, histAttributes, s.Labels)
	b = AppendFixed64(b, histStart, start)
	b = AppendFixed64(b, histTime, e.now)
	b = protowire.AppendTag(b, histCount, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, count)
	b = AppendDouble(b, histSum, sum)
	if len(counts) > 0 {
		b = protowire.AppendTag(b, histBuckets, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(8*len(counts)))
		for i, c := range counts {
			if prev != nil {
				c -= min(c, prev[i])
			}
			b = protowire.AppendFixed64(b, c)
		}
	}
	if len(s.Bounds) > 0 {
		b = protowire.AppendTag(b, histBounds, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(8*len(s.Bounds)))
		for _, x := range s.Bounds {
			b = protowire.AppendFixed64(b, math.Float64bits(x))
		}
	}
	e.b = Close(b, dp)
	return true
}

// seriesStart returns the start time of a cumulative point of s.
func (e *Metrics) seriesStart(s *exporters.Series) uint64 {
	if t := UnixNano(s.Start); t != 0 {
		return t
	}
	return e.start
}

// lastPoint returns the committed point of series id, if there is one.
func (e *Metrics) lastPoint(id int) (*point, bool) {
	if id < 0 || id >= len(e.last) || e.last[id].gen == 0 {
		return nil, false
	}
	return &e.last[id], true
}

// nextPoint returns the point of series id in the request being encoded,
// growing the state to hold it.
func (e *Metrics) nextPoint(id int) *point {
	if id < 0 {
		return &point{}
	}
	if id >= len(e.next) {
		n := id + 1
		e.next = slices.Grow(e.next, n-len(e.next))[:n]
		e.last = slices.Grow(e.last, n-len(e.last))[:n]
	}
	p := &e.next[id]
	p.gen = e.gen
	return p
}

// openMetric makes sure the open Metric message is the one of s: it closes
// the open one if it is another, and opens s's.
func (e *Metrics) openMetric(b []byte, s *exporters.Series) []byte {
	name := s.OTelName
	if name == "" {
		name = s.Name
	}
	if e.cur.open && e.cur.name == name && e.cur.kind == s.Kind {
		return b
	}
	b = e.closeMetric(b)
	e.cur = openMetric{open: true, name: name, kind: s.Kind}
	b, e.cur.metric = Open(b, scopeItems)
	b = AppendString(b, metricName, name)
	b = AppendString(b, metricDescription, s.Help)
	b = AppendString(b, metricUnit, s.Unit)
	field := metricGauge
	switch s.Kind {
	case exporters.KindCounter:
		field = metricSum
	case exporters.KindHistogram:
		field = metricHistogram
	}
	b, e.cur.data = Open(b, field)
	return b
}

// closeMetric closes the open Metric message, if any.
func (e *Metrics) closeMetric(b []byte) []byte {
	if !e.cur.open {
		return b
	}
	temporality := uint64(temporalityCumulative)
	if e.delta {
		temporality = temporalityDelta
	}
	switch e.cur.kind {
	case exporters.KindCounter:
		b = AppendVarint(b, dataTemporality, temporality)
		b = AppendVarint(b, sumIsMonotonic, 1)
	case exporters.KindHistogram:
		b = AppendVarint(b, dataTemporality, temporality)
	}
	b = Close(b, e.cur.data)
	b = Close(b, e.cur.metric)
	e.cur.open = false
	return b
}

// appendLabels appends labels as the string attributes field num.
func appendLabels(b []byte, num protowire.Number, labels []exporters.Label) []byte {
	for _, l := range labels {
		b = AppendStringAttribute(b, num, l.Key, l.Value)
	}
	return b
}
