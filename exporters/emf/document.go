package emf

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
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

// The JSON shape of the _aws member.
type (
	metadata struct {
		Timestamp         int64             `json:"Timestamp"`
		CloudWatchMetrics []metricDirective `json:"CloudWatchMetrics"`
	}
	metricDirective struct {
		Namespace  string             `json:"Namespace"`
		Dimensions [][]string         `json:"Dimensions"`
		Metrics    []metricDefinition `json:"Metrics"`
	}
	metricDefinition struct {
		Name string `json:"Name"`
		Unit string `json:"Unit"`
	}
)

// encode writes d as one line of JSON: _aws first, then the dimension
// values, then the metric values, each set in name order.
func (d *document) encode(buf *bytes.Buffer, namespace string, timestampMS int64) error {
	dimNames := make([]string, len(d.group.dims))
	for i, dim := range d.group.dims {
		dimNames[i] = dim.name
	}
	defs := make([]metricDefinition, len(d.points))
	for i, p := range d.points {
		defs[i] = metricDefinition{Name: p.name, Unit: p.unit}
	}
	meta := metadata{
		Timestamp: timestampMS,
		CloudWatchMetrics: []metricDirective{{
			Namespace: namespace, Dimensions: [][]string{dimNames}, Metrics: defs,
		}},
	}
	buf.WriteString(`{"_aws":`)
	if err := writeJSON(buf, meta); err != nil {
		return err
	}
	for _, dim := range d.group.dims {
		if err := member(buf, dim.name, dim.value); err != nil {
			return err
		}
	}
	for _, p := range d.points {
		if err := member(buf, p.name, p.value); err != nil {
			return err
		}
	}
	buf.WriteString("}\n")
	return nil
}

func member(buf *bytes.Buffer, name string, value any) error {
	buf.WriteByte(',')
	if err := writeJSON(buf, name); err != nil {
		return err
	}
	buf.WriteByte(':')
	return writeJSON(buf, value)
}

func writeJSON(buf *bytes.Buffer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}
