package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// gridColumns is the width of Grafana's layout grid.
const gridColumns = 24

// allValue is what the multi-value variables send for All.
const allValue = ".+"

// datasourceRef is the reference every panel and target uses: the
// dashboard's datasource variable.
func datasourceRef() dashboard.DataSourceRef {
	return dashboard.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${" + varDatasource + "}")}
}

// build turns a boardSpec into a dashboard.
func (b boardSpec) build() (dashboard.Dashboard, error) {
	db := dashboard.NewDashboardBuilder(b.title).
		Uid(b.uid).
		Description(b.description).
		Tags(b.tags).
		Readonly().
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Time("now-1h", "now").
		Refresh("1m").
		Timezone("browser").
		WithVariable(dashboard.NewDatasourceVariableBuilder(varDatasource).
			Label("Data Source").
			Type("prometheus")).
		WithVariable(labelVariable(varFunction, "Function", labelFunction,
			"label_values("+metricInvokes+", "+labelFunction+")"))
	if b.trigger {
		db.WithVariable(labelVariable(varTrigger, "Trigger", labelTrigger,
			"label_values("+metricInvokes+`{faas_name=~"$function"}, `+labelTrigger+")"))
	}

	var id, y uint32
	for _, s := range b.sections {
		if s.title != "" {
			id++
			db.WithRow(dashboard.NewRowBuilder(s.title).Id(id).
				GridPos(dashboard.GridPos{X: 0, Y: y, W: gridColumns, H: 1}))
			y++
		}
		var x uint32
		for i, p := range s.panels {
			w := p.width
			if w == 0 {
				w = gridColumns / uint32(len(s.panels))
				if i == len(s.panels)-1 {
					w = gridColumns - x
				}
			}
			id++
			pb, err := p.build(id, dashboard.GridPos{X: x, Y: y, W: w, H: s.height})
			if err != nil {
				return dashboard.Dashboard{}, fmt.Errorf("dashboard %s, panel %q: %w", b.uid, p.title, err)
			}
			db.WithPanel(pb)
			x += w
		}
		y += s.height
	}
	return db.Build()
}

// labelVariable is a multi-value query variable over one label's values,
// refreshed when the time range changes. All is ".+": every series that has
// the label, and no other, so that a function's go_* and process_* series
// are selected but those of every other Go program Prometheus scrapes (the
// Pushgateway's own, for one) are not.
func labelVariable(name, label, promLabel, q string) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Description("Values of the " + promLabel + " label.").
		Query(dashboard.StringOrMap{Map: map[string]any{
			"qryType": 1,
			"query":   q,
			"refId":   "PrometheusVariableQueryEditor-VariableQuery",
		}}).
		Definition(q).
		Datasource(datasourceRef()).
		Current(dashboard.VariableOption{
			Selected: cog.ToPtr(true),
			Text:     dashboard.StringOrArrayOfString{ArrayOfString: []string{"All"}},
			Value:    dashboard.StringOrArrayOfString{ArrayOfString: []string{"$__all"}},
		}).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc).
		Multi(true).
		IncludeAll(true).
		AllValue(allValue)
}

// targets builds the panel's Prometheus queries, refIds A, B, ….
func (p panelSpec) targets() []cog.Builder[variants.Dataquery] {
	out := make([]cog.Builder[variants.Dataquery], 0, len(p.queries))
	for i, q := range p.queries {
		t := prometheus.NewDataqueryBuilder().
			Datasource(datasourceRef()).
			RefId(string(rune('A' + i))).
			Expr(q.expr).
			LegendFormat(q.legend)
		if q.instant {
			t.Instant()
		} else {
			t.Range()
		}
		out = append(out, t)
	}
	return out
}

// thresholdsBuilder renders the panel's threshold steps.
func (p panelSpec) thresholdsBuilder() *dashboard.ThresholdsConfigBuilder {
	steps := p.thresholds
	if len(steps) == 0 {
		steps = okThresholds
	}
	out := make([]dashboard.Threshold, 0, len(steps))
	for _, s := range steps {
		out = append(out, dashboard.Threshold{Color: s.color, Value: s.value})
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(out)
}

// build renders the panel at pos with the given id.
func (p panelSpec) build(id uint32, pos dashboard.GridPos) (cog.Builder[dashboard.Panel], error) {
	switch p.kind {
	case kindStat:
		b := stat.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).
			Datasource(datasourceRef()).GridPos(pos).Targets(p.targets()).
			Unit(p.unit).Thresholds(p.thresholdsBuilder()).
			ColorMode(common.BigValueColorModeValue).
			GraphMode(common.BigValueGraphModeArea).
			TextMode(common.BigValueTextModeAuto).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}))
		if p.min != nil {
			b.Min(*p.min)
		}
		if p.maxValue != nil {
			b.Max(*p.maxValue)
		}
		return b, nil
	case kindTimeseries:
		b := timeseries.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).
			Datasource(datasourceRef()).GridPos(pos).Targets(p.targets()).
			Unit(p.unit).Thresholds(p.thresholdsBuilder()).
			Legend(common.NewVizLegendOptionsBuilder().
				ShowLegend(true).
				DisplayMode(common.LegendDisplayModeTable).
				Placement(common.LegendPlacementBottom).
				Calcs([]string{"mean", "max"})).
			LineWidth(1).FillOpacity(10).
			ShowPoints(common.VisibilityModeNever)
		if p.bars {
			b.DrawStyle(common.GraphDrawStyleBars).FillOpacity(80)
		}
		if p.stacked {
			b.Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal))
		}
		if p.min != nil {
			b.Min(*p.min)
		}
		if p.maxValue != nil {
			b.Max(*p.maxValue)
		}
		return b, nil
	case kindBarGauge:
		b := bargauge.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).
			Datasource(datasourceRef()).GridPos(pos).Targets(p.targets()).
			Unit(p.unit).Thresholds(p.thresholdsBuilder()).
			DisplayMode(common.BarGaugeDisplayModeGradient).
			Orientation(common.VizOrientationHorizontal).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}))
		if p.min != nil {
			b.Min(*p.min)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown panel kind %q", p.kind)
}
