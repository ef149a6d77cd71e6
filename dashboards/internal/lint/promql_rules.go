package lint

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/lumen-rt/lumen/dashboards"
	"github.com/lumen-rt/lumen/dashboards/internal/board"
)

// InstanceLabel is the per-environment label every query must aggregate
// away: each execution environment pushes or writes its own series.
const InstanceLabel = "instance"

// targetRules: target-promql-rule, target-rate-interval-rule,
// target-counter-agg-rule and target-instance (aggregated away).
func (l *linter) targetRules(p board.Panel, t board.Target) {
	expr, err := newParser().ParseExpr(dashboards.Expand(t.Expr, lintVars))
	if err != nil {
		l.add("target-promql-rule", p.Title, "target %s does not parse: %v", t.RefID, err)
		return
	}
	if err := checkRanges(expr); err != nil {
		l.add("target-rate-interval-rule", p.Title, "target %s: %v", t.RefID, err)
	}
	if err := checkCounters(expr); err != nil {
		l.add("target-counter-agg-rule", p.Title, "target %s: %v", t.RefID, err)
	}
	if !dropsLabel(expr, InstanceLabel) {
		l.add("target-instance-aggregated", p.Title, "target %s keeps the %s label: aggregate it away after rate", t.RefID, InstanceLabel)
	}
}

// checkRanges requires $__rate_interval in rate and irate, and
// $__rate_interval or $__range in every other range or offset.
func checkRanges(expr parser.Expr) error {
	var errs []error
	parser.Inspect(expr, func(n parser.Node, path []parser.Node) error {
		switch n := n.(type) {
		case *parser.MatrixSelector:
			fn := ""
			if len(path) > 0 {
				if c, ok := path[len(path)-1].(*parser.Call); ok {
					fn = c.Func.Name
				}
			}
			switch {
			case (fn == "rate" || fn == "irate") && n.Range != lintRateInterval:
				errs = append(errs, fmt.Errorf("%s must use [$__rate_interval]: %s", fn, n))
			case n.Range != lintRateInterval && n.Range != lintRange:
				errs = append(errs, fmt.Errorf("range must be $__rate_interval or $__range: %s", n))
			}
		case *parser.VectorSelector:
			if n.OriginalOffset != 0 && n.OriginalOffset != lintRateInterval && n.OriginalOffset != lintRange {
				errs = append(errs, fmt.Errorf("offset must be $__rate_interval or $__range: %s", n))
			}
		}
		return nil
	})
	return errors.Join(errs...)
}

// counterFuncs are the functions through which a counter may be read.
var counterFuncs = []string{"rate", "irate", "increase"}

// checkCounters requires every counter (a name ending in _total) to be read
// through rate, irate or increase. Two uses in the births pattern of
// [dashboards.IncreaseWithBirths] are allowed as well: the right-hand side of
// and/unless, where only the label sets count, and last_over_time on the
// left of unless, which takes the whole value of series born in the window.
func checkCounters(expr parser.Expr) error {
	var errs []error
	parser.Inspect(expr, func(n parser.Node, path []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok || !strings.HasSuffix(vs.Name, "_total") {
			return nil
		}
		if !counterUseAllowed(vs, path) {
			errs = append(errs, fmt.Errorf("counter %s is not read through rate, irate or increase", vs.Name))
		}
		return nil
	})
	return errors.Join(errs...)
}

// counterUseAllowed decides one counter selector given its ancestors.
func counterUseAllowed(vs parser.Node, path []parser.Node) bool {
	child := vs
	for i := len(path) - 1; i >= 0; i-- {
		switch p := path[i].(type) {
		case *parser.MatrixSelector, *parser.ParenExpr:
		case *parser.Call:
			if slices.Contains(counterFuncs, p.Func.Name) {
				return true
			}
			if p.Func.Name != "last_over_time" || i == 0 {
				return false
			}
			b, ok := path[i-1].(*parser.BinaryExpr)
			return ok && b.Op == parser.LUNLESS && b.LHS == parser.Expr(p)
		case *parser.BinaryExpr:
			return (p.Op == parser.LAND || p.Op == parser.LUNLESS) && p.RHS == child
		default:
			return false
		}
		child = path[i]
	}
	return false
}

// dropsLabel reports whether the result of expr can no longer carry label:
// an aggregation that groups without it (or drops it with without), a
// binary operation of such results, or a function of one.
func dropsLabel(expr parser.Expr, label string) bool {
	switch e := expr.(type) {
	case *parser.NumberLiteral, *parser.StringLiteral:
		return true
	case *parser.ParenExpr:
		return dropsLabel(e.Expr, label)
	case *parser.StepInvariantExpr:
		return dropsLabel(e.Expr, label)
	case *parser.UnaryExpr:
		return dropsLabel(e.Expr, label)
	case *parser.AggregateExpr:
		switch e.Op {
		case parser.TOPK, parser.BOTTOMK, parser.LIMITK, parser.LIMIT_RATIO:
			return dropsLabel(e.Expr, label)
		}
		if e.Without {
			return slices.Contains(e.Grouping, label) || dropsLabel(e.Expr, label)
		}
		return !slices.Contains(e.Grouping, label)
	case *parser.BinaryExpr:
		if e.Op == parser.LAND || e.Op == parser.LUNLESS {
			return dropsLabel(e.LHS, label)
		}
		return dropsLabel(e.LHS, label) && dropsLabel(e.RHS, label)
	case *parser.Call:
		switch e.Func.Name {
		case "scalar", "time", "vector", "pi":
			return true
		case "histogram_quantile", "histogram_fraction":
			return dropsLabel(e.Args[len(e.Args)-1], label)
		}
		for _, a := range e.Args {
			if a.Type() == parser.ValueTypeVector || a.Type() == parser.ValueTypeMatrix {
				return dropsLabel(a, label)
			}
		}
		return true
	case *parser.SubqueryExpr:
		return dropsLabel(e.Expr, label)
	}
	return false
}

// Metrics returns the metric names a query selects, after expanding its
// variables with the linter's sample values.
func Metrics(query string) ([]string, error) {
	expr, err := newParser().ParseExpr(dashboards.Expand(query, lintVars))
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && !slices.Contains(names, vs.Name) {
			names = append(names, vs.Name)
		}
		return nil
	})
	return names, nil
}
