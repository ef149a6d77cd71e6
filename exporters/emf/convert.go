package emf

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	dto "github.com/prometheus/client_model/go"
)

// EMF and CloudWatch limits the documents respect.
const (
	// MaxMetricsPerDocument is the most MetricDefinitions one document
	// carries.
	MaxMetricsPerDocument = 100
	// MaxDimensions is the most dimension keys in one dimension set.
	MaxDimensions = 30

	maxDimensionNameLen  = 255
	maxDimensionValueLen = 1024
)

// ErrTooManyDimensions is wrapped in the error of a flush that dropped
// series with more than [MaxDimensions] labels.
var ErrTooManyDimensions = errors.New("emf: too many dimensions")

// counterState is what a flush remembers of one cumulative series.
type counterState struct{ value, sum float64 }

// point is one value to write: metric name, unit, value, and the state
// update to commit once it is written (key empty for gauges).
type point struct {
	name, unit string
	value      float64
	key        string
	next       counterState
}

// group is the points sharing one set of dimension values.
type group struct {
	key    string
	dims   []dimension // sorted by name
	points []point
}

type dimension struct{ name, value string }

// conversion is the outcome of turning one gather into groups.
type conversion struct {
	groups  []*group
	commit  map[string]counterState // state updates that need no write
	seen    map[string]bool         // every cumulative series present
	dropped int
	errs    []error
}

// convert turns families into groups of points, given the committed state
// of the previous flush.
func (e *Exporter) convert(mfs []*dto.MetricFamily, state map[string]counterState) *conversion {
	c := &e.conv
	clear(c.commit)
	clear(c.seen)
	*c = conversion{commit: c.commit, seen: c.seen}
	if c.commit == nil {
		c.commit, c.seen = map[string]counterState{}, map[string]bool{}
	}
	e.gen++
	byKey := map[string]*group{}
	var tooMany []string
	for _, mf := range mfs {
		name := mf.GetName()
		if e.cfg.filter != nil && !e.cfg.filter(name) {
			continue
		}
		for _, m := range mf.GetMetric() {
			dims, gkey, skey := e.series(name, m.GetLabel())
			if len(dims) > MaxDimensions {
				c.dropped++
				tooMany = append(tooMany, name)
				continue
			}
			g := byKey[gkey]
			if g == nil {
				g = &group{key: gkey, dims: dims}
				byKey[gkey] = g
			}
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				c.cumulative(g, state, skey, name, counterState{value: m.GetCounter().GetValue()}, false)
			case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
				h := m.GetHistogram()
				c.cumulative(g, state, skey, name, counterState{value: float64(h.GetSampleCount()), sum: h.GetSampleSum()}, true)
			case dto.MetricType_SUMMARY:
				s := m.GetSummary()
				c.cumulative(g, state, skey, name, counterState{value: float64(s.GetSampleCount()), sum: s.GetSampleSum()}, true)
			case dto.MetricType_GAUGE:
				c.add(g, point{name: name, unit: unitOf(name), value: m.GetGauge().GetValue()})
			default:
				c.add(g, point{name: name, unit: unitOf(name), value: m.GetUntyped().GetValue()})
			}
		}
	}
	if len(tooMany) > 0 {
		slices.Sort(tooMany)
		c.errs = append(c.errs, fmt.Errorf("%w: %d series of %s have more than %d",
			ErrTooManyDimensions, len(tooMany), strings.Join(slices.Compact(tooMany), ", "), MaxDimensions))
	}
	for _, g := range byKey {
		if len(g.points) > 0 {
			c.groups = append(c.groups, g)
		}
	}
	slices.SortFunc(c.groups, func(a, b *group) int { return strings.Compare(a.key, b.key) })
	for k, d := range e.dims {
		if d.gen != e.gen {
			delete(e.dims, k) // a series that is gone
		}
	}
	return c
}

// seriesDims is what the previous flushes derived from one series' labels.
type seriesDims struct {
	gen        uint64 // the last flush that saw the series
	name       string
	labels     []string // the label names and values it was derived from, in pairs
	dims       []dimension
	gkey, skey string
}

// series returns the dimension set, group key and series key of the series
// of family name with labels. client_golang writes each series' label pairs
// as one slice it keeps, so the result is kept per slice (the address of its
// first element) and reused while the family name and every label name and
// value are unchanged.
func (e *Exporter) series(name string, labels []*dto.LabelPair) ([]dimension, string, string) {
	var id **dto.LabelPair
	if len(labels) > 0 {
		id = &labels[0]
	}
	if d, ok := e.dims[id]; ok && d.name == name && sameLabels(d.labels, labels) {
		d.gen = e.gen
		return d.dims, d.gkey, d.skey
	}
	dims, gkey := e.dimensions(labels)
	skey := name + "\xff" + gkey
	if id == nil {
		return dims, gkey, skey // families without labels share the nil key
	}
	d := &seriesDims{gen: e.gen, name: name, labels: make([]string, 0, 2*len(labels)), dims: dims, gkey: gkey, skey: skey}
	for _, lp := range labels {
		d.labels = append(d.labels, lp.GetName(), lp.GetValue())
	}
	if e.dims == nil {
		e.dims = map[**dto.LabelPair]*seriesDims{}
	}
	e.dims[id] = d
	return dims, gkey, skey
}

func sameLabels(kept []string, labels []*dto.LabelPair) bool {
	if len(kept) != 2*len(labels) {
		return false
	}
	for i, lp := range labels {
		if kept[2*i] != lp.GetName() || kept[2*i+1] != lp.GetValue() {
			return false
		}
	}
	return true
}

// cumulative adds the increase of a counter (or of a histogram's count and
// sum) since the committed state, or commits a zero increase directly.
func (c *conversion) cumulative(g *group, state map[string]counterState, key, name string, now counterState, histogram bool) {
	c.seen[key] = true
	prev := state[key]
	if now.value < prev.value {
		prev = counterState{} // restarted
	}
	delta := now.value - prev.value
	if delta == 0 {
		c.commit[key] = now
		return
	}
	if !histogram {
		c.add(g, point{name: name, unit: unitOf(name), value: delta, key: key, next: now})
		return
	}
	// The _count point carries the commit; _sum rides in the same document.
	c.add(g, point{name: name + "_sum", unit: unitOf(name), value: now.sum - prev.sum})
	c.add(g, point{name: name + "_count", unit: "Count", value: delta, key: key, next: now})
}

func (c *conversion) add(g *group, p point) {
	if math.IsNaN(p.value) || math.IsInf(p.value, 0) {
		c.dropped++
		return
	}
	g.points = append(g.points, p)
}

// dimensions returns a series' dimension set, sorted by name, and a key
// identifying its values. A label wins over a constant dimension of the same
// name; an empty label is an absent label.
func (e *Exporter) dimensions(labels []*dto.LabelPair) ([]dimension, string) {
	dims := make([]dimension, 0, len(labels)+len(e.static))
	dims = append(dims, e.static...)
	sorted := true
	for _, lp := range labels {
		v := clean(lp.GetValue(), maxDimensionValueLen)
		if strings.TrimSpace(v) == "" {
			continue
		}
		name := clean(lp.GetName(), maxDimensionNameLen)
		if i := slices.IndexFunc(dims[:len(e.static)], func(d dimension) bool { return d.name == name }); i >= 0 {
			dims[i].value = v
			continue
		}
		if n := len(dims); n > 0 && dims[n-1].name >= name {
			sorted = false
		}
		dims = append(dims, dimension{name, v})
	}
	if !sorted {
		slices.SortFunc(dims, func(a, b dimension) int { return strings.Compare(a.name, b.name) })
	}
	size := 0
	for _, d := range dims {
		size += len(d.name) + len(d.value) + 2
	}
	var key strings.Builder
	key.Grow(size)
	for _, d := range dims {
		key.WriteString(d.name)
		key.WriteByte(0)
		key.WriteString(d.value)
		key.WriteByte(0)
	}
	return dims, key.String()
}

// staticDimensions returns the constant dimensions, cleaned and sorted by
// name.
func staticDimensions(set map[string]string) []dimension {
	dims := make([]dimension, 0, len(set))
	for k, v := range set {
		dims = append(dims, dimension{clean(k, maxDimensionNameLen), clean(v, maxDimensionValueLen)})
	}
	slices.SortFunc(dims, func(a, b dimension) int { return strings.Compare(a.name, b.name) })
	return slices.CompactFunc(dims, func(a, b dimension) bool { return a.name == b.name })
}

// clean makes s printable ASCII, as CloudWatch dimensions require, and cuts
// it to n bytes.
func clean(s string, n int) string {
	if printableASCII(s) && len(s) <= n {
		return s
	}
	b := make([]byte, 0, min(len(s), n))
	for i := 0; i < len(s) && len(b) < n; i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			b = append(b, '_')
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// unitOf derives a CloudWatch unit from a Prometheus metric name's suffix.
func unitOf(name string) string {
	base, counted := strings.CutSuffix(name, "_total")
	switch {
	case strings.HasSuffix(base, "_seconds"):
		return "Seconds"
	case strings.HasSuffix(base, "_bytes"):
		return "Bytes"
	case strings.HasSuffix(base, "_percent"):
		return "Percent"
	case counted || strings.HasSuffix(base, "_count"):
		return "Count"
	}
	return "None"
}
