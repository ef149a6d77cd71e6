package lint

import (
	"regexp"
	"strings"

	"github.com/lumen-rt/lumen/dashboards"
	"github.com/lumen-rt/lumen/dashboards/internal/board"
)

// gridColumns is the width of Grafana's layout grid.
const gridColumns = 24

// labelValues matches label_values(selector, label) and label_values(label).
var labelValues = regexp.MustCompile(`^\s*label_values\(\s*(?:(.+),\s*)?(\w+)\s*\)\s*$`)

// dashboardRules: uid, title, description, pinned schema, uneditable.
func (l *linter) dashboardRules() {
	d := l.d
	if d.UID == "" || len(d.UID) > 40 {
		l.add("dashboard-uid", "", "uid %q must be 1 to 40 characters", d.UID)
	}
	if strings.TrimSpace(d.Title) == "" || strings.TrimSpace(d.Description) == "" {
		l.add("dashboard-title-description", "", "dashboard needs a title and a description")
	}
	if d.SchemaVersion != SchemaVersion {
		l.add("schema-version", "", "schemaVersion %d, want the pinned %d", d.SchemaVersion, SchemaVersion)
	}
	if d.Editable {
		l.add("uneditable-dashboard", "", "provisioned dashboards must not be editable")
	}
}

// templateRules: template-datasource-rule, template-on-time-change-reload-rule,
// template-label-promql-rule.
func (l *linter) templateRules() {
	var datasources []board.Variable
	for _, v := range l.d.Templating.List {
		switch v.Type {
		case "datasource":
			datasources = append(datasources, v)
		case "query":
			if v.Refresh != 2 {
				l.add("template-on-time-change-reload-rule", "", "variable %q: refresh %d, want 2 (on time range change)", v.Name, v.Refresh)
			}
			if v.IncludeAll && v.AllValue != ".+" {
				l.add("template-all-value", "", "variable %q: allValue %q, want .+ so that All selects the series that have the label and no others", v.Name, v.AllValue)
			}
			l.labelValuesQuery(v)
		}
	}
	if len(datasources) != 1 {
		l.add("template-datasource-rule", "", "%d datasource variables, want exactly one", len(datasources))
		return
	}
	ds := datasources[0]
	if ds.Name != "datasource" || ds.Label != "Data Source" || ds.QueryText() != "prometheus" {
		l.add("template-datasource-rule", "", "datasource variable %q (label %q, query %q): want name datasource, label Data Source, query prometheus",
			ds.Name, ds.Label, ds.QueryText())
	}
}

// labelValuesQuery checks a query variable's label_values selector parses.
func (l *linter) labelValuesQuery(v board.Variable) {
	q := v.QueryText()
	m := labelValues.FindStringSubmatch(q)
	if m == nil {
		l.add("template-label-promql-rule", "", "variable %q: query %q is not label_values(selector, label)", v.Name, q)
		return
	}
	if m[1] == "" {
		return
	}
	if _, err := newParser().ParseExpr(dashboards.Expand(m[1], lintVars)); err != nil {
		l.add("template-label-promql-rule", "", "variable %q: selector %q: %v", v.Name, m[1], err)
	}
}

// layoutRules: unique panel ids, panels inside the grid, no overlap.
func (l *linter) layoutRules() {
	ids := map[int]string{}
	panels := l.d.AllPanels()
	for i, p := range panels {
		if p.ID <= 0 {
			l.add("panel-id", p.Title, "panel id %d, want a positive id", p.ID)
		} else if other, dup := ids[p.ID]; dup {
			l.add("panel-id", p.Title, "panel id %d already used by %q", p.ID, other)
		}
		ids[p.ID] = p.Title
		g := p.GridPos
		if g.W <= 0 || g.H <= 0 || g.X < 0 || g.Y < 0 || g.X+g.W > gridColumns {
			l.add("panel-grid", p.Title, "gridPos %+v is outside the %d-column grid", g, gridColumns)
		}
		for _, q := range panels[:i] {
			if overlap(g, q.GridPos) {
				l.add("panel-grid", p.Title, "gridPos %+v overlaps panel %q at %+v", g, q.Title, q.GridPos)
			}
		}
	}
}

// overlap reports whether two grid rectangles share a cell.
func overlap(a, b board.GridPos) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}
