package emf

import (
	"math"
	"strconv"

	"github.com/lumen-rt/lumen/exporters"
)

// point is one series' change, to be written in one document: its values
// (one member; two for a summary, _sum and _count), and the baseline to
// commit once the document is written.
type point struct {
	id     int
	vals   [2]span // the members' encoded values, in Exporter.vals
	size   int     // bytes the point adds to a document, dimensions aside
	value  float64
	count  uint64
	sum    float64
	counts span // a histogram's new per-bucket counts, in Exporter.arena
}

type span struct{ start, end int }

// state returns the state of series id, growing the table as IDs appear.
func (e *Exporter) state(id int) *seriesState {
	if id >= len(e.states) {
		e.states = append(e.states, make([]seriesState, id+1-len(e.states))...)
	}
	return &e.states[id]
}

// collectOne turns one series into a point if it changed since the last
// value committed: a counter's or histogram's increase, a gauge's new
// value. It runs inside Visit.
func (e *Exporter) collectOne(s *exporters.Series) {
	if s.ID < 0 {
		return
	}
	st := e.state(s.ID)
	if !st.known {
		e.describe(st, s)
	}
	if st.skip {
		return
	}
	p := point{id: s.ID, value: s.Value, count: s.Count, sum: s.Sum}
	ok := true // the values have a JSON form
	switch s.Kind {
	case exporters.KindCounter:
		base := st.value
		if s.Value < base {
			base = 0 // restarted
		}
		d := s.Value - base
		if d == 0 {
			return
		}
		ok = finite(d)
		p.vals[0] = e.number(d)
	case exporters.KindGauge:
		if st.written && math.Float64bits(s.Value) == math.Float64bits(st.value) {
			return
		}
		ok = finite(s.Value)
		p.vals[0] = e.number(s.Value)
	case exporters.KindHistogram:
		if !e.histogram(st, s, &p) {
			return
		}
		ok = finite(s.Sum)
	case exporters.KindSummary:
		baseCount, baseSum := st.count, st.sum
		if s.Count < baseCount {
			baseCount, baseSum = 0, 0
		}
		if s.Count == baseCount {
			return
		}
		ok = finite(s.Sum - baseSum)
		p.vals[0] = e.number(s.Sum - baseSum)
		p.vals[1] = e.uint(s.Count - baseCount)
	default:
		return
	}
	switch {
	case st.tooWide:
		e.drop(st, &p)
		e.invalid = append(e.invalid, s.Name)
	case st.clash, !ok:
		e.drop(st, &p)
	default:
		p.size = st.memberSize(p.vals)
		e.points = append(e.points, p)
	}
}

// drop counts a change that cannot be written and commits it, so that it
// is counted once.
func (e *Exporter) drop(st *seriesState, p *point) {
	e.dropped++
	e.commit(st, p)
}

// commit makes p's values the baseline of the next deltas.
func (e *Exporter) commit(st *seriesState, p *point) {
	st.written, st.value, st.count, st.sum = true, p.value, p.count, p.sum
	if n := p.counts.end - p.counts.start; n > 0 {
		if len(st.counts) != n {
			st.counts = make([]uint64, n)
		}
		copy(st.counts, e.arena[p.counts.start:p.counts.end])
	}
}

// histogram encodes the distribution of s's observations since the
// baseline into p, and reports whether there were any.
func (e *Exporter) histogram(st *seriesState, s *exporters.Series, p *point) bool {
	base := st.counts
	restarted := s.Count < st.count || len(base) != len(s.Counts)
	for i := range base {
		if restarted || s.Counts[i] < base[i] {
			restarted = true
			break
		}
	}
	baseSum := st.sum
	if restarted {
		base, baseSum = nil, 0
	}
	start := len(e.arena)
	e.arena = append(e.arena, s.Counts...)
	p.counts = span{start, len(e.arena)}

	e.dist = e.dist[:0]
	sum := s.Sum - baseSum
	var (
		closed float64 // what the buckets with two finite edges add up to
		open   []int   // the dist indexes of the open-ended buckets
	)
	for i, c := range s.Counts {
		if base != nil {
			c -= base[i]
		}
		if c == 0 {
			continue
		}
		lo, hi := bucketEdges(s.Bounds, i)
		b := bucket{count: c, lo: lo, hi: hi}
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			open = append(open, len(e.dist))
		} else {
			b.rep = min(max(round6((lo+hi)/2), lo), hi)
			closed += b.rep * float64(c)
		}
		e.dist = append(e.dist, b)
	}
	// An open-ended bucket (below a first bound <= 0, above the last) is
	// given what the sum leaves, on its side of its bound; when both have
	// observations, the lower one is given its bound.
	for n, i := range open {
		b := &e.dist[i]
		rest := (sum - closed) / float64(b.count)
		switch {
		case math.IsInf(b.lo, -1) && math.IsInf(b.hi, 1): // no bounds: the mean
			b.rep = rest
		case math.IsInf(b.lo, -1) && n < len(open)-1:
			b.rep = b.hi
		case math.IsInf(b.lo, -1):
			b.rep = min(b.hi, rest)
		default:
			b.rep = max(b.lo, rest)
		}
		if !finite(b.rep) {
			b.rep = 0 // a non-finite sum: the point is dropped
		}
		b.rep = round6(b.rep)
		closed += b.rep * float64(b.count)
		b.lo, b.hi = min(b.lo, b.rep), max(b.hi, b.rep)
		if math.IsInf(b.lo, -1) {
			b.lo = b.rep
		}
		if math.IsInf(b.hi, 1) {
			b.hi = b.rep
		}
	}
	if len(e.dist) == 0 {
		return false
	}
	for len(e.dist) > MaxValues {
		e.dist = mergePairs(e.dist)
	}
	count := s.Count
	if base != nil {
		count -= st.count
	}
	p.vals[0] = e.distribution(count, sum)
	return true
}

// round6 rounds v to 6 significant digits: a representative value is an
// estimate, and 0.0375 reads better, and is shorter, than
// 0.037500000000000006.
func round6(v float64) float64 {
	if v == 0 || !finite(v) {
		return v
	}
	scale := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(v))))
	if r := math.Round(v*scale) / scale; finite(r) {
		return r
	}
	return v
}

// bucket is one value of a distribution: a bucket's representative value,
// its count since the last flush, and its edges.
type bucket struct {
	rep    float64
	count  uint64
	lo, hi float64
}

// bucketEdges returns the lower and upper edge of bucket i. The first
// bucket starts at 0 when its bound is positive (durations and sizes),
// at -Inf otherwise.
func bucketEdges(bounds []float64, i int) (lo, hi float64) {
	switch {
	case i == 0 && len(bounds) > 0 && bounds[0] > 0:
		return 0, bounds[0]
	case i == 0 && len(bounds) > 0:
		return math.Inf(-1), bounds[0]
	case i == len(bounds) && i > 0:
		return bounds[i-1], math.Inf(1)
	case i == len(bounds):
		return math.Inf(-1), math.Inf(1)
	}
	return bounds[i-1], bounds[i]
}

// mergePairs halves a distribution, merging neighbours into their
// count-weighted mean.
func mergePairs(d []bucket) []bucket {
	out := d[:0]
	for i := 0; i < len(d); i += 2 {
		b := d[i]
		if i+1 < len(d) {
			n := d[i+1]
			total := b.count + n.count
			b = bucket{
				rep:   (b.rep*float64(b.count) + n.rep*float64(n.count)) / float64(total),
				count: total, lo: b.lo, hi: n.hi,
			}
		}
		out = append(out, b)
	}
	return out
}

// distribution appends e.dist as EMF's distribution form, the value
// CloudWatch computes percentiles from:
// {"Values":[…],"Counts":[…],"Max":…,"Min":…,"Count":…,"Sum":…}.
func (e *Exporter) distribution(count uint64, sum float64) span {
	start := len(e.vals)
	b := append(e.vals, `{"Values":[`...)
	for i, d := range e.dist {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloat(b, d.rep)
	}
	b = append(b, `],"Counts":[`...)
	for i, d := range e.dist {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, d.count, 10)
	}
	lo, hi := e.dist[0].lo, e.dist[len(e.dist)-1].hi
	if mean := sum / float64(count); count > 0 && finite(mean) {
		// Rounding aside, the mean is within the edges; keep it so.
		lo, hi = min(lo, mean), max(hi, mean)
	}
	b = append(b, `],"Max":`...)
	b = appendFloat(b, hi)
	b = append(b, `,"Min":`...)
	b = appendFloat(b, lo)
	b = append(b, `,"Count":`...)
	b = strconv.AppendUint(b, count, 10)
	b = append(b, `,"Sum":`...)
	if finite(sum) {
		b = appendFloat(b, sum)
	}
	b = append(b, '}')
	e.vals = b
	return span{start, len(b)}
}

// number appends v as a JSON number (nothing when it has none: the point
// is dropped).
func (e *Exporter) number(v float64) span {
	start := len(e.vals)
	if finite(v) {
		e.vals = appendFloat(e.vals, v)
	}
	return span{start, len(e.vals)}
}

func (e *Exporter) uint(v uint64) span {
	start := len(e.vals)
	e.vals = strconv.AppendUint(e.vals, v, 10)
	return span{start, len(e.vals)}
}
