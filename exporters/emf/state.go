package emf

import (
	"math"
	"slices"
	"strings"

	"github.com/lumen-rt/lumen/exporters"

	"github.com/lumen-rt/lumen/exporters/internal/jsonenc"
)

// EMF and CloudWatch limits the documents respect.
const (
	// MaxMetricsPerDocument is the most MetricDefinitions one
	// MetricDirective carries.
	MaxMetricsPerDocument = 100
	// MaxDimensions is the most dimension keys in one dimension set.
	MaxDimensions = 30
	// MaxValues is the most values (and counts) of one distribution.
	MaxValues = 100
	// MaxDocumentBytes is the largest document written: the CloudWatch Logs
	// event limit of the EMF specification's older revision (the current
	// one allows 1 MB), so that documents fit either.
	MaxDocumentBytes = 256 << 10

	maxNameLen           = 255
	maxDimensionValueLen = 1024
)

// seriesState is what the exporter knows of one series, by its ID: what
// its labels make of it (computed once, since a series' labels never
// change) and the values last written, the baseline of the next deltas.
type seriesState struct {
	known   bool
	skip    bool // filtered out
	tooWide bool // more than MaxDimensions dimensions
	clash   bool // a metric named like one of its dimensions, or _aws
	names   [2]string
	units   [2]string
	jnames  [2][]byte // names and units as JSON strings
	junits  [2][]byte
	dims    []dimension // sorted by name, constant dimensions included
	dimKey  string      // the dimension names, joined: its directive

	written bool // a value was committed (gauges write their first)
	value   float64
	count   uint64
	sum     float64
	counts  []uint64 // a histogram's per-bucket counts
}

// dimension is one dimension of a series, with its name and value as JSON
// strings.
type dimension struct {
	name, value   string
	jname, jvalue []byte
}

func newDimension(name, value string) dimension {
	return dimension{name: name, value: value,
		jname: jsonenc.AppendString(nil, name), jvalue: jsonenc.AppendString(nil, value)}
}

// memberSize is how many bytes the members of vals add to a document: a
// MetricDefinition each, and a root member each.
func (st *seriesState) memberSize(vals [2]span) int {
	n := 0
	for i, v := range vals {
		if st.names[i] == "" {
			continue
		}
		n += len(`,{"Name":,"Unit":}`) + len(st.jnames[i]) + len(st.junits[i])
		n += len(`,:`) + len(st.jnames[i]) + v.end - v.start
	}
	return n
}

// describe fills the static part of st from the first sight of s.
func (e *Exporter) describe(st *seriesState, s *exporters.Series) {
	st.known = true
	if e.cfg.filter != nil && !e.cfg.filter(s.Name) {
		st.skip = true
		return
	}
	var variant string // the folded label values
	dims := slices.Clone(e.static)
	for _, l := range s.Labels {
		v := clean(l.Value, maxDimensionValueLen)
		if strings.TrimSpace(v) == "" {
			continue // an empty label is an absent label
		}
		if slices.Contains(e.cfg.nameLabels, l.Name) {
			variant += "." + v
			continue
		}
		dn := clean(l.Name, maxNameLen)
		if i := slices.IndexFunc(dims[:len(e.static)], func(d dimension) bool { return d.name == dn }); i >= 0 {
			dims[i] = newDimension(dn, v) // a label wins over a constant dimension
			continue
		}
		dims = append(dims, newDimension(dn, v))
	}
	slices.SortStableFunc(dims, func(a, b dimension) int { return strings.Compare(a.name, b.name) })
	dims = slices.CompactFunc(dims, func(a, b dimension) bool { return a.name == b.name })
	st.dims = dims
	names := make([]string, len(dims))
	for i, d := range dims {
		names[i] = d.name
	}
	st.dimKey = strings.Join(names, "\x00")

	st.names[0], st.units[0] = clean(s.Name+variant, maxNameLen), cloudWatchUnit(s.Unit, s.Name)
	if s.Kind == exporters.KindSummary {
		st.names[0] = clean(s.Name+"_sum"+variant, maxNameLen)
		st.names[1], st.units[1] = clean(s.Name+"_count"+variant, maxNameLen), "Count"
	}
	for i, n := range st.names {
		if n != "" {
			st.jnames[i], st.junits[i] = jsonenc.AppendString(nil, n), jsonenc.AppendString(nil, st.units[i])
		}
	}
	st.tooWide, st.clash = len(dims) > MaxDimensions, st.clashes()
}

// clashes reports whether a metric name is "_aws" or one of the series'
// own dimensions: it could not be a root member of its own.
func (st *seriesState) clashes() bool {
	for _, n := range st.names {
		if n == "" {
			continue
		}
		if n == "_aws" || slices.ContainsFunc(st.dims, func(d dimension) bool { return d.name == n }) {
			return true
		}
	}
	return false
}

// staticDimensions returns the constant dimensions, cleaned and sorted by
// name.
func staticDimensions(set map[string]string) []dimension {
	dims := make([]dimension, 0, len(set))
	for k, v := range set {
		dims = append(dims, newDimension(clean(k, maxNameLen), clean(v, maxDimensionValueLen)))
	}
	slices.SortFunc(dims, func(a, b dimension) int { return strings.Compare(a.name, b.name) })
	return slices.CompactFunc(dims, func(a, b dimension) bool { return a.name == b.name })
}

// clean makes s printable ASCII, as CloudWatch names and dimensions
// require, and cuts it to n bytes.
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

// cloudWatchUnit maps a UCUM unit to a CloudWatch unit, or, when the unit
// is unknown, derives one from the Prometheus name's suffix.
func cloudWatchUnit(ucum, name string) string {
	switch {
	case ucum == "s":
		return "Seconds"
	case ucum == "ms":
		return "Milliseconds"
	case ucum == "us":
		return "Microseconds"
	case ucum == "By":
		return "Bytes"
	case ucum == "%":
		return "Percent"
	case strings.HasPrefix(ucum, "{") && strings.HasSuffix(ucum, "}") && ucum != "{USD}":
		return "Count"
	case ucum != "":
		return "None"
	}
	return unitOf(name)
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

// finite reports whether v has a JSON form.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
