package dashboards_test

import (
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
	rounds = flag.Int("rounds", 16, "rounds of invocations the data-producing step records (about one a second)")
	images = flag.String("images", "", "folder to render each dashboard into as PNG from the real data (empty: no pictures)")
)

// minRateInterval is the shortest $__rate_interval the panels are checked
// with: what Grafana sends for a one-second scrape interval over a short
// range (at least four scrape intervals).
const minRateInterval = 10 * time.Second

// rateInterval is the $__rate_interval the panels are checked with: at
// least three rounds long, so that every window holds new data even when a
// busy machine slows the rounds down (Grafana, too, widens the interval
// when the data is sparser).
func rateInterval(data produced) time.Duration {
	return max(minRateInterval, 3*data.maxGap).Round(time.Second)
}

// mayBeEmpty lists the targets that may have no series, with the reason. A
// panel all of whose targets are here and empty need not show a value
// above zero.
var mayBeEmpty = map[string]string{
	"Flush overruns, failures and skips/C": "a flush is skipped only while an earlier, overrun flush of the same flusher still runs",
}

// panelVars are the variable values the panels are checked with; the
// whole run fits in $__range.
func panelVars(function string, ri time.Duration) map[string]string {
	return map[string]string{
		"function":        function,
		"trigger":         ".+",
		"__rate_interval": ri.String(),
		"__range":         "10m",
	}
}

// Every panel of every dashboard shows data: against a real Prometheus
// scraping a real Pushgateway and receiving remote write, fed by real
// Recorders through Lumen's exporters, each panel's queries, expanded as
// Grafana would and run as Grafana runs them (instant targets at the end of
// the data, the others over its whole span after the first
// $__rate_interval), return series of finite values, at least one of them
// above zero. They are checked for all functions together and for each
// function alone, so both the Pushgateway and the remote write path are
// proven.
func TestEveryPanelShowsData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus and the Pushgateway")
	}
	stack := promtest.Start(t)
	data := produce(t, stack, *rounds)
	ri := rateInterval(data)
	require.Greater(t, data.end.Sub(data.start), ri, "run more -rounds")

	ds, _ := loadCommitted(t)
	for _, fn := range append([]string{".+"}, data.functions...) {
		for _, d := range ds {
			for _, p := range d.AllPanels() {
				if p.IsRow() {
					continue
				}
				t.Run(fn+"/"+d.UID+"/"+p.Title, func(t *testing.T) {
					checkPanel(t, stack, p, panelVars(fn, ri), data.start.Add(ri), data.end)
				})
			}
		}
	}
	if *images != "" {
		renderImages(t, stack, ds, data)
	}
}

// checkPanel runs every target of p from start to end and requires finite
// values, series from every target (but those in mayBeEmpty), and at least
// one value above zero unless no target returned any series.
func checkPanel(t *testing.T, stack *promtest.Stack, p board.Panel, vars map[string]string, start, end time.Time) {
	t.Helper()
	positive, anySeries := false, false
	for _, tg := range p.Targets {
		expr := dashboards.Expand(tg.Expr, vars)
		series, err := fetch(t.Context(), stack.PrometheusURL, expr, tg, start, end)
		require.NoError(t, err)
		if _, optional := mayBeEmpty[p.Title+"/"+tg.RefID]; !optional {
			require.NotEmpty(t, series, "target %s: %s", tg.RefID, expr)
		}
		anySeries = anySeries || len(series) > 0
		for _, s := range series {
			require.NotEmpty(t, s.Points, "target %s: %s", tg.RefID, expr)
			for _, pt := range s.Points {
				require.False(t, math.IsNaN(pt.V) || math.IsInf(pt.V, 0), "target %s: %s is %v at %v in %s", tg.RefID, s.Name, pt.V, pt.T, expr)
				positive = positive || pt.V > 0
			}
		}
	}
	if !anySeries {
		return // every target is in mayBeEmpty
	}
	require.True(t, positive, "panel %q shows only zeros", p.Title)
}
