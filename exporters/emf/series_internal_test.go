package emf

import (
	"bytes"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
)

// reusingGatherer returns one counter family whose series keeps the same
// label pair objects while the test changes their values in place, as a
// hand-written collector may.
type reusingGatherer struct {
	name, value string
	pair        *dto.LabelPair
	count       float64
	empty       bool
}

func (g *reusingGatherer) Gather() ([]*dto.MetricFamily, error) {
	if g.empty {
		return nil, nil
	}
	if g.pair == nil {
		g.pair = &dto.LabelPair{}
	}
	*g.pair = dto.LabelPair{Name: new(g.name), Value: new(g.value)}
	typ := dto.MetricType_COUNTER
	return []*dto.MetricFamily{{
		Name: new("reused_total"), Help: new("h"), Type: &typ,
		Metric: []*dto.Metric{{Label: []*dto.LabelPair{g.pair}, Counter: &dto.Counter{Value: new(g.count)}}},
	}}, nil
}

var _ prometheus.Gatherer = (*reusingGatherer)(nil)

func TestSeriesCacheFollowsLabelChanges(t *testing.T) {
	g := &reusingGatherer{name: "stage", value: "blue"}
	var out bytes.Buffer
	e, err := New(g, WithWriter(&out))
	require.NoError(t, err)
	steps := []struct {
		name, value string
		count       float64
		want        string // a fragment of the line written
	}{
		{name: "stage", value: "blue", count: 1, want: `"stage":"blue","reused_total":1`},
		{name: "stage", value: "green", count: 3, want: `"stage":"green","reused_total":3`},
		{name: "color", value: "green", count: 4, want: `"color":"green","reused_total":4`},
		{name: "color", value: "green", count: 6, want: `"color":"green","reused_total":2`},
	}
	for _, st := range steps {
		g.name, g.value, g.count = st.name, st.value, st.count
		out.Reset()
		require.NoError(t, e.ForceFlush(t.Context()))
		require.Contains(t, out.String(), st.want)
	}
	require.Len(t, e.dims, 1)
	g.empty = true
	require.NoError(t, e.ForceFlush(t.Context()))
	require.Empty(t, e.dims, "series that are gone are forgotten")
}
