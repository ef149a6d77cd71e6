// Package lint checks Lumen's dashboards with the rules of Grafana's
// dashboard-linter (which cannot be installed here) plus a few of Lumen's
// own: one datasource variable named datasource, variables refreshed on
// time-range change, a title, description, unit and the datasource variable
// on every panel, unique panel ids, panels inside the 24-column grid without
// overlap, PromQL that parses after variable expansion, $__rate_interval in
// every rate, counters only through rate, irate or increase, and the
// per-environment instance label aggregated away in every query.
package lint

import (
	"fmt"
	"time"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/lumen-rt/lumen/dashboards/internal/board"
)

// SchemaVersion is the dashboard schema version the bundled dashboards pin
// (the Foundation SDK v0.0.22's default).
const SchemaVersion = 42

// Problem is one rule a dashboard breaks.
type Problem struct {
	// Rule is the rule's name, dashboard-linter's where it has one.
	Rule string
	// Dashboard is the dashboard's uid.
	Dashboard string
	// Panel is the panel's title, empty for dashboard-wide rules.
	Panel string
	// Message says what is wrong.
	Message string
}

// String renders the problem on one line.
func (p Problem) String() string {
	if p.Panel == "" {
		return fmt.Sprintf("%s: %s: %s", p.Dashboard, p.Rule, p.Message)
	}
	return fmt.Sprintf("%s: panel %q: %s: %s", p.Dashboard, p.Panel, p.Rule, p.Message)
}

// Sample durations the built-in range variables expand to while linting:
// unusual values, so that a range in a parsed query can be told apart.
const (
	lintRateInterval = 8869990787 * time.Millisecond
	lintRange        = 6069770749 * time.Millisecond
	lintInterval     = 4867856611 * time.Millisecond
)

// lintVars are the values variables take while linting. A multi-value
// variable becomes a regex alternative, as Grafana formats it for
// Prometheus.
var lintVars = map[string]string{
	"__rate_interval": "8869990787ms",
	"__range":         "6069770749ms",
	"__interval":      "4867856611ms",
	"__range_s":       "6069770",
	"__range_ms":      "6069770749",
	"function":        "fn_a|fn_b|fn_c",
	"trigger":         "http|pubsub|timer",
	"datasource":      "prometheus",
}

// newParser returns the PromQL parser the rules use.
func newParser() parser.Parser { return parser.NewParser(parser.Options{}) }

// linter collects the problems of one dashboard.
type linter struct {
	d        *board.Dashboard
	problems []Problem
}

func (l *linter) add(rule, panel, format string, args ...any) {
	l.problems = append(l.problems, Problem{Rule: rule, Dashboard: l.d.UID, Panel: panel, Message: fmt.Sprintf(format, args...)})
}

// Lint checks one dashboard and returns its problems; none means it passes.
func Lint(d *board.Dashboard) []Problem {
	l := &linter{d: d}
	l.dashboardRules()
	l.templateRules()
	l.layoutRules()
	for _, p := range d.AllPanels() {
		l.panelRules(p)
		if p.IsRow() {
			continue
		}
		for _, t := range p.Targets {
			l.targetRules(p, t)
		}
	}
	return l.problems
}

// LintAll checks several dashboards, each with [Lint], and that their uids
// and titles are unique.
func LintAll(ds []*board.Dashboard) []Problem {
	var out []Problem
	uids, titles := map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		out = append(out, Lint(d)...)
		if uids[d.UID] {
			out = append(out, Problem{Rule: "unique-uid", Dashboard: d.UID, Message: "uid used by another dashboard"})
		}
		if titles[d.Title] {
			out = append(out, Problem{Rule: "unique-title", Dashboard: d.UID, Message: fmt.Sprintf("title %q used by another dashboard", d.Title)})
		}
		uids[d.UID], titles[d.Title] = true, true
	}
	return out
}
