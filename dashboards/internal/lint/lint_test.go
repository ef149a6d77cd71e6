package lint

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards/internal/board"
)

// committed loads the committed overview dashboard, a clean starting point
// for each broken variant.
func committed(t *testing.T) *board.Dashboard {
	t.Helper()
	d, err := board.Load(filepath.Join("..", "..", "grafana", "function-overview.json"))
	require.NoError(t, err)
	return d
}

// firstPanel returns the first non-row panel, to break.
func firstPanel(d *board.Dashboard) *board.Panel {
	for i := range d.Panels {
		if !d.Panels[i].IsRow() {
			return &d.Panels[i]
		}
	}
	return nil
}

func TestCommittedDashboardPasses(t *testing.T) {
	require.Empty(t, Lint(committed(t)))
}

// Each case breaks one thing in a passing dashboard; the named rule must
// report it.
func TestRulesCatchBrokenDashboards(t *testing.T) {
	cases := []struct {
		name   string
		rule   string
		break_ func(d *board.Dashboard)
	}{
		{"no description", "panel-title-description-rule", func(d *board.Dashboard) { firstPanel(d).Description = "" }},
		{"no title", "panel-title-description-rule", func(d *board.Dashboard) { firstPanel(d).Title = " " }},
		{"no unit", "panel-units-rule", func(d *board.Dashboard) { firstPanel(d).FieldConfig.Defaults.Unit = "" }},
		{"invented unit", "panel-units-rule", func(d *board.Dashboard) { firstPanel(d).FieldConfig.Defaults.Unit = "invocations" }},
		{"no thresholds", "panel-thresholds", func(d *board.Dashboard) { firstPanel(d).FieldConfig.Defaults.Thresholds = nil }},
		{"fixed datasource", "panel-datasource-rule", func(d *board.Dashboard) {
			firstPanel(d).Datasource = &board.DatasourceRef{Type: "prometheus", UID: "prod-prometheus"}
		}},
		{"target datasource", "panel-datasource-rule", func(d *board.Dashboard) {
			firstPanel(d).Targets[0].Datasource = &board.DatasourceRef{UID: "abc"}
		}},
		{"no targets", "panel-no-targets-rule", func(d *board.Dashboard) { firstPanel(d).Targets = nil }},
		{"duplicate id", "panel-id", func(d *board.Dashboard) { d.Panels[1].ID = d.Panels[0].ID }},
		{"overlap", "panel-grid", func(d *board.Dashboard) { d.Panels[1].GridPos = d.Panels[0].GridPos }},
		{"past the grid", "panel-grid", func(d *board.Dashboard) { firstPanel(d).GridPos.X = 20 }},
		{"promql syntax", "target-promql-rule", func(d *board.Dashboard) { firstPanel(d).Targets[0].Expr = "sum(rate(x[$__rate_interval])" }},
		{"fixed rate range", "target-rate-interval-rule", func(d *board.Dashboard) {
			firstPanel(d).Targets[0].Expr = "sum(rate(faas_invocations_total[5m]))"
		}},
		{"fixed offset", "target-rate-interval-rule", func(d *board.Dashboard) {
			firstPanel(d).Targets[0].Expr = "sum(faas_inflight_invocations offset 1h)"
		}},
		{"bare counter", "target-counter-agg-rule", func(d *board.Dashboard) { firstPanel(d).Targets[0].Expr = "sum(faas_invocations_total)" }},
		{"counter over time", "target-counter-agg-rule", func(d *board.Dashboard) {
			firstPanel(d).Targets[0].Expr = "sum(max_over_time(faas_coldstarts_total[$__range]))"
		}},
		{"instance kept", "target-instance-aggregated", func(d *board.Dashboard) {
			firstPanel(d).Targets[0].Expr = "sum by (instance) (rate(faas_invocations_total[$__rate_interval]))"
		}},
		{"not aggregated", "target-instance-aggregated", func(d *board.Dashboard) {
			firstPanel(d).Targets[0].Expr = "rate(faas_invocations_total[$__rate_interval])"
		}},
		{"two datasource variables", "template-datasource-rule", func(d *board.Dashboard) {
			d.Templating.List = append(d.Templating.List, d.Templating.List[0])
		}},
		{"renamed datasource variable", "template-datasource-rule", func(d *board.Dashboard) { d.Templating.List[0].Name = "ds" }},
		{"refresh on load", "template-on-time-change-reload-rule", func(d *board.Dashboard) { d.Templating.List[1].Refresh = 1 }},
		{"label_values syntax", "template-label-promql-rule", func(d *board.Dashboard) {
			d.Templating.List[1].Query = "label_values(faas_invocations_total{, faas_name)"
		}},
		{"all matches everything", "template-all-value", func(d *board.Dashboard) { d.Templating.List[1].AllValue = ".*" }},
		{"editable", "uneditable-dashboard", func(d *board.Dashboard) { d.Editable = true }},
		{"schema", "schema-version", func(d *board.Dashboard) { d.SchemaVersion = 39 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := committed(t)
			c.break_(d)
			var rules []string
			for _, p := range Lint(d) {
				rules = append(rules, p.Rule)
			}
			require.Contains(t, rules, c.rule)
		})
	}
}

func TestLintAllFindsDuplicateUIDs(t *testing.T) {
	a, b := committed(t), committed(t)
	var rules []string
	for _, p := range LintAll([]*board.Dashboard{a, b}) {
		rules = append(rules, p.Rule)
	}
	require.Contains(t, rules, "unique-uid")
	require.Contains(t, rules, "unique-title")
}

// The births pattern reads counters in two ways that are not rate or
// increase; only those exact positions are accepted.
func TestCounterRuleAcceptsBirthsPatternOnly(t *testing.T) {
	cases := []struct {
		expr string
		ok   bool
	}{
		{"sum((increase(a_total[1h]) and a_total offset 1h) or (last_over_time(a_total[1h]) unless a_total offset 1h))", true},
		{"sum(rate(a_total[5m]))", true},
		{"sum(last_over_time(a_total[1h]))", false},
		{"sum(last_over_time(b[1h]) unless a_total)", true},
		{"sum(a_total unless b)", false},
		{"sum(b and a_total)", true},
		{"sum(b or a_total)", false},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			e, err := newParser().ParseExpr(c.expr)
			require.NoError(t, err)
			if c.ok {
				require.NoError(t, checkCounters(e))
			} else {
				require.Error(t, checkCounters(e))
			}
		})
	}
}

func TestMetricsListsSelectedNames(t *testing.T) {
	names, err := Metrics(`histogram_quantile(0.99, sum by (le) (rate(faas_invoke_duration_seconds_bucket{faas_name=~"$function"}[$__rate_interval]))) / sum(up)`)
	require.NoError(t, err)
	require.Equal(t, []string{"faas_invoke_duration_seconds_bucket", "up"}, names)
}
