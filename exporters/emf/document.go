package emf

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// document is one EMF log line in the making. A document's root holds one
// value per name: one value per metric name and per dimension name, and no
// name as both. Each distinct set of dimension names is a MetricDirective
// (split at [MaxMetricsPerDocument] metrics).
type document struct {
	dims       map[string]string // root dimension members
	names      map[string]bool   // root metric members
	dimOrder   []dimension
	points     []int          // indexes into Exporter.points
	directives map[string]int // dimension key → metrics so far
	dimKeys    []string       // the directives' keys, in order
	size       int
}

func (d *document) reset() {
	clear(d.dims)
	clear(d.names)
	clear(d.directives)
	d.dimOrder, d.points, d.dimKeys, d.size = d.dimOrder[:0], d.points[:0], d.dimKeys[:0], 0
}

// pack puts every point into the first document it fits, opening a new one
// when none does: one document per flush unless the specification's limits
// force more (two values of one metric or dimension, a document over
// [MaxDocumentBytes]).
func (e *Exporter) pack() []*document {
	n := 0
	for i := range e.points {
		p := &e.points[i]
		st := &e.states[p.id]
		placed := false
		for _, d := range e.docs[:n] {
			if e.fits(d, st, p) {
				e.place(d, st, p, i)
				placed = true
				break
			}
		}
		if placed {
			continue
		}
		if n == len(e.docs) {
			e.docs = append(e.docs, &document{
				dims: map[string]string{}, names: map[string]bool{}, directives: map[string]int{},
			})
		}
		d := e.docs[n]
		n++
		d.reset()
		d.size = e.headerSize
		e.place(d, st, p, i) // alone, a point always fits
	}
	return e.docs[:n]
}

// fits reports whether p can join d.
func (e *Exporter) fits(d *document, st *seriesState, p *point) bool {
	grow := p.size
	for _, n := range st.names {
		if n == "" {
			continue
		}
		if d.names[n] {
			return false
		}
		if _, isDim := d.dims[n]; isDim {
			return false
		}
	}
	for _, dim := range st.dims {
		if d.names[dim.name] {
			return false
		}
		v, ok := d.dims[dim.name]
		if ok && v != dim.value {
			return false
		}
		if !ok {
			grow += dimSize(dim)
		}
	}
	grow += newDirectives(d.directives[st.dimKey], members(st)) * e.directiveSize(st)
	return d.size+grow <= MaxDocumentBytes
}

// place adds point i to d.
func (e *Exporter) place(d *document, st *seriesState, p *point, i int) {
	d.size += p.size
	for _, n := range st.names {
		if n != "" {
			d.names[n] = true
		}
	}
	for _, dim := range st.dims {
		if _, ok := d.dims[dim.name]; !ok {
			d.dims[dim.name] = dim.value
			d.dimOrder = append(d.dimOrder, dim)
			d.size += dimSize(dim)
		}
	}
	c, ok := d.directives[st.dimKey]
	if !ok {
		d.dimKeys = append(d.dimKeys, st.dimKey)
	}
	d.size += newDirectives(c, members(st)) * e.directiveSize(st)
	d.directives[st.dimKey] = c + members(st)
	d.points = append(d.points, i)
}

// newDirectives is how many MetricDirectives m more metrics open when c
// metrics of their dimensions are in a document already.
func newDirectives(c, m int) int {
	const n = MaxMetricsPerDocument
	return (c+m+n-1)/n - (c+n-1)/n
}

func members(st *seriesState) int {
	if st.names[1] != "" {
		return 2
	}
	return 1
}

// dimSize is what a dimension adds to the root.
func dimSize(d dimension) int { return len(`,:`) + len(d.jname) + len(d.jvalue) }

// directiveSize is what a new MetricDirective of st's dimensions adds.
func (e *Exporter) directiveSize(st *seriesState) int {
	n := len(`,{"Namespace":,"Dimensions":[[]],"Metrics":[]}`) + len(e.jnamespace)
	for _, d := range st.dims {
		n += len(d.jname) + 1
	}
	return n
}

// encode writes d as one line of JSON: _aws and its directives, then the
// dimension values in name order, then the metric values.
func (e *Exporter) encode(b []byte, d *document, timestampMS int64) []byte {
	b = append(b, `{"_aws":{"Timestamp":`...)
	b = strconv.AppendInt(b, timestampMS, 10)
	b = append(b, `,"CloudWatchMetrics":[`...)
	first := true
	for _, key := range d.dimKeys {
		inDirective := 0
		for _, i := range d.points {
			p := &e.points[i]
			st := &e.states[p.id]
			if st.dimKey != key {
				continue
			}
			for m, name := range st.jnames {
				if len(name) == 0 {
					continue
				}
				if inDirective == MaxMetricsPerDocument {
					b = append(b, "]}"...)
					inDirective = 0
				}
				if inDirective == 0 {
					if !first {
						b = append(b, ',')
					}
					first = false
					b = e.appendDirective(b, st)
				} else {
					b = append(b, ',')
				}
				b = append(b, `{"Name":`...)
				b = append(b, name...)
				b = append(b, `,"Unit":`...)
				b = append(b, st.junits[m]...)
				b = append(b, '}')
				inDirective++
			}
		}
		if inDirective > 0 {
			b = append(b, "]}"...)
		}
	}
	b = append(b, "]}"...)
	slices.SortFunc(d.dimOrder, func(a, b dimension) int { return strings.Compare(a.name, b.name) })
	for _, dim := range d.dimOrder {
		b = append(b, ',')
		b = append(b, dim.jname...)
		b = append(b, ':')
		b = append(b, dim.jvalue...)
	}
	for _, i := range d.points {
		p := &e.points[i]
		st := &e.states[p.id]
		for m, name := range st.jnames {
			if len(name) == 0 {
				continue
			}
			b = append(b, ',')
			b = append(b, name...)
			b = append(b, ':')
			b = append(b, e.vals[p.vals[m].start:p.vals[m].end]...)
		}
	}
	return append(b, "}\n"...)
}

// appendDirective opens a MetricDirective of st's dimensions, up to its
// Metrics array.
func (e *Exporter) appendDirective(b []byte, st *seriesState) []byte {
	b = append(b, `{"Namespace":`...)
	b = append(b, e.jnamespace...)
	b = append(b, `,"Dimensions":[[`...)
	for i, d := range st.dims {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, d.jname...)
	}
	return append(b, `]],"Metrics":[`...)
}

// appendFloat appends f as encoding/json encodes a float64.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
