package dashboards_test

import (
	"context"
	"flag"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards"
	"github.com/lumen-rt/lumen/dashboards/internal/board"
	"github.com/lumen-rt/lumen/internal/promtest"
)

var (
	rounds = flag.Int("rounds", 8, "rounds of invocations the data-producing step records")
	images = flag.String("images", "", "folder to render each dashboard into as PNG from the real data (empty: no pictures)")
)

// mayBeEmpty lists the targets that may have no series, with the reason.
var mayBeEmpty = map[string]string{
	"Flush overruns, failures and skips/C": "a flush is skipped only when a flusher ignores its context, and no exporter does",
}

// panelVars are the variable values the panels are evaluated with: Grafana
// would send a $__rate_interval of at least four scrape intervals, and the
// whole run fits in $__range.
func panelVars(function string) map[string]string {
	return map[string]string{
		"function":        function,
		"trigger":         ".*",
		"__rate_interval": "30s",
		"__range":         "10m",
	}
}

// Every panel of every dashboard shows data: against a real Prometheus
// scraping a real Pushgateway and receiving remote write, fed by real
// Recorders through Lumen's exporters, each panel's queries, expanded as
// Grafana would, return a non-empty result of finite values, not all zero.
// They are evaluated for all functions together and for each function
// alone, so both the Pushgateway and the remote write path are proven.
func TestEveryPanelShowsData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus and the Pushgateway")
	}
	stack := promtest.Start(t)
	data := produce(t, stack, *rounds)

	ds, _ := loadCommitted(t)
	for _, fn := range append([]string{".*"}, data.functions...) {
		for _, d := range ds {
			for _, p := range d.AllPanels() {
				if p.IsRow() {
					continue
				}
				t.Run(fn+"/"+d.UID+"/"+p.Title, func(t *testing.T) {
					checkPanel(t, stack, p, panelVars(fn))
				})
			}
		}
	}
	if *images != "" {
		renderImages(t, stack, ds, data)
	}
}

// checkPanel evaluates every target of p and requires finite values, at
// least one target with series, and at least one value above zero.
func checkPanel(t *testing.T, stack *promtest.Stack, p board.Panel, vars map[string]string) {
	t.Helper()
	positive := false
	for _, tg := range p.Targets {
		expr := dashboards.Expand(tg.Expr, vars)
		_, optional := mayBeEmpty[p.Title+"/"+tg.RefID]
		wait := 20 * time.Second
		if optional {
			wait = 2 * time.Second
		}
		ctx, cancel := context.WithTimeout(t.Context(), wait)
		res, err := stack.Query(ctx, expr)
		cancel()
		if optional && err != nil && ctx.Err() != nil {
			continue
		}
		require.NoError(t, err, "target %s: %s", tg.RefID, expr)
		require.NotEmpty(t, res, "target %s: %s", tg.RefID, expr)
		for _, s := range res {
			require.False(t, math.IsNaN(s.Value) || math.IsInf(s.Value, 0), "target %s: %v in %s", tg.RefID, s, expr)
			positive = positive || s.Value > 0
		}
	}
	require.True(t, positive, "panel %q shows only zeros", p.Title)
}
