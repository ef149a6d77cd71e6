package lint

import (
	"slices"
	"strings"

	"github.com/lumen-rt/lumen/dashboards/internal/board"
)

// panelsWithUnits are the panel types panel-units-rule applies to.
var panelsWithUnits = []string{"stat", "singlestat", "graph", "table", "timeseries", "gauge", "bargauge"}

// validUnits are Grafana unit ids (packages/grafana-data valueFormats
// categories) a Lambda dashboard may use.
var validUnits = []string{
	"none", "short", "percent", "percentunit", "sci", "locale",
	"bytes", "decbytes", "bits", "decbits", "kbytes", "mbytes", "gbytes",
	"Bps", "binBps", "bps", "pps",
	"hertz", "ns", "µs", "ms", "s", "m", "h", "d", "dtdurationms", "dtdurations", "clockms", "clocks",
	"cps", "ops", "reqps", "rps", "wps", "iops", "cpm", "opm", "rpm", "wpm",
	"dateTimeAsIso", "dateTimeFromNow", "bool", "bool_yes_no", "bool_on_off",
	"currencyUSD",
}

// panelRules: panel-title-description-rule, panel-units-rule,
// panel-datasource-rule, panel-no-targets-rule.
func (l *linter) panelRules(p board.Panel) {
	if strings.TrimSpace(p.Title) == "" {
		l.add("panel-title-description-rule", p.Title, "panel %d has no title", p.ID)
	}
	if p.IsRow() {
		return
	}
	if strings.TrimSpace(p.Description) == "" {
		l.add("panel-title-description-rule", p.Title, "panel has no description")
	}
	if slices.Contains(panelsWithUnits, p.Type) && !slices.Contains(validUnits, p.FieldConfig.Defaults.Unit) {
		l.add("panel-units-rule", p.Title, "unit %q is not a valid Grafana unit", p.FieldConfig.Defaults.Unit)
	}
	if p.FieldConfig.Defaults.Thresholds == nil || len(p.FieldConfig.Defaults.Thresholds.Steps) == 0 {
		l.add("panel-thresholds", p.Title, "panel has no thresholds")
	}
	if !usesDatasourceVariable(p.Datasource) {
		l.add("panel-datasource-rule", p.Title, "panel datasource %+v, want the ${datasource} variable", p.Datasource)
	}
	if len(p.Targets) == 0 {
		l.add("panel-no-targets-rule", p.Title, "panel has no targets")
	}
	refs := map[string]bool{}
	for _, t := range p.Targets {
		if strings.TrimSpace(t.Expr) == "" {
			l.add("panel-no-targets-rule", p.Title, "target %s has no expression", t.RefID)
		}
		if t.Datasource != nil && !usesDatasourceVariable(t.Datasource) {
			l.add("panel-datasource-rule", p.Title, "target %s datasource %+v, want the ${datasource} variable", t.RefID, t.Datasource)
		}
		if t.RefID == "" || refs[t.RefID] {
			l.add("target-refid", p.Title, "target refId %q is empty or repeated", t.RefID)
		}
		refs[t.RefID] = true
	}
}

// usesDatasourceVariable reports whether ref points at the datasource
// variable.
func usesDatasourceVariable(ref *board.DatasourceRef) bool {
	return ref != nil && (ref.UID == "${datasource}" || ref.UID == "$datasource")
}
