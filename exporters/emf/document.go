package emf

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lumen-rt/lumen/exporters/internal/jsonenc"
)

// document is one EMF log line in the making.
type document struct {
	group  *group
	points []point // at most MaxMetricsPerDocument, names unique
	names  map[string]bool
}

// pack splits groups into documents of at most MaxMetricsPerDocument
// metrics with distinct names. A point whose name is also one of the group's
// dimensions, or "_aws", cannot be a root member of its own: it is dropped.
func pack(groups []*group) (docs []*document, dropped int) {
	for _, g := range groups {
		taken := map[string]bool{"_aws": true}
		for _, d := range g.dims {
			taken[d.name] = true
		}
		points := slices.Clone(g.points)
		slices.SortStableFunc(points, func(a, b point) int { return strings.Compare(a.name, b.name) })
		var mine []*document
		for _, p := range points {
			if taken[p.name] {
				dropped++
				continue
			}
			var into *document
			for _, d := range mine {
				if len(d.points) < MaxMetricsPerDocument && !d.names[p.name] {
					into = d
					break
				}
			}
			if into == nil {
				into = &document{group: g, names: map[string]bool{}}
				mine = append(mine, into)
			}
			into.points = append(into.points, p)
			into.names[p.name] = true
		}
		docs = append(docs, mine...)
	}
	return docs, dropped
}

// encode writes d as one line of JSON: _aws first, then the dimension
// values, then the metric values, each set in name order. Strings and numbers
// are written as encoding/json writes them (HTML-safe escapes, shortest
// float form), without its reflection.
func (d *document) encode(buf *bytes.Buffer, namespace string, timestampMS int64) error {
	b := buf.AvailableBuffer()
	b = append(b, `{"_aws":{"Timestamp":`...)
	b = strconv.AppendInt(b, timestampMS, 10)
	b = append(b, `,"CloudWatchMetrics":[{"Namespace":`...)
	b = jsonenc.AppendString(b, namespace)
	b = append(b, `,"Dimensions":[[`...)
	for i, dim := range d.group.dims {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonenc.AppendString(b, dim.name)
	}
	b = append(b, `]],"Metrics":[`...)
	for i, p := range d.points {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Name":`...)
		b = jsonenc.AppendString(b, p.name)
		b = append(b, `,"Unit":`...)
		b = jsonenc.AppendString(b, p.unit)
		b = append(b, '}')
	}
	b = append(b, "]}]}"...)
	for _, dim := range d.group.dims {
		b = append(b, ',')
		b = jsonenc.AppendString(b, dim.name)
		b = append(b, ':')
		b = jsonenc.AppendString(b, dim.value)
	}
	for _, p := range d.points {
		if math.IsNaN(p.value) || math.IsInf(p.value, 0) {
			return fmt.Errorf("emf: unsupported value %v of %s", p.value, p.name)
		}
		b = append(b, ',')
		b = jsonenc.AppendString(b, p.name)
		b = append(b, ':')
		b = appendFloat(b, p.value)
	}
	b = append(b, "}\n"...)
	buf.Write(b)
	return nil
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
