package dashboards_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards"
	"github.com/lumen-rt/lumen/dashboards/internal/board"
	"github.com/lumen-rt/lumen/dashboards/internal/chart"
	"github.com/lumen-rt/lumen/internal/promtest"
)

// pictureStep is the resolution of the pictures' range queries.
const pictureStep = 2 * time.Second

// renderImages draws every dashboard from the data in Prometheus into
// *images, one PNG per dashboard, named after its JSON file.
func renderImages(t *testing.T, stack *promtest.Stack, ds []*board.Dashboard, data produced) {
	t.Helper()
	_, names := loadCommitted(t)
	vars := map[string]string{
		"function":        ".+",
		"trigger":         ".+",
		"__rate_interval": "15s",
		"__range":         strconv.Itoa(int(data.end.Sub(data.start).Seconds())+1) + "s",
	}
	for i, d := range ds {
		var panels []chart.Panel
		for _, p := range d.AllPanels() {
			cp := chart.Panel{
				Kind: p.Type, Title: p.Title, Unit: p.FieldConfig.Defaults.Unit,
				X: p.GridPos.X, Y: p.GridPos.Y, W: p.GridPos.W, H: p.GridPos.H,
				Min: p.FieldConfig.Defaults.Min, Max: p.FieldConfig.Defaults.Max,
				Bars:    p.FieldConfig.Defaults.Custom.DrawStyle == "bars",
				Stacked: p.FieldConfig.Defaults.Custom.Stacking.Mode == "normal",
			}
			if th := p.FieldConfig.Defaults.Thresholds; th != nil {
				for _, s := range th.Steps {
					cp.Thresholds = append(cp.Thresholds, chart.Step{Value: s.Value, Color: s.Color})
				}
			}
			for _, tg := range p.Targets {
				series, err := fetch(t.Context(), stack.PrometheusURL, dashboards.Expand(tg.Expr, vars), tg, data.start, data.end)
				require.NoError(t, err, "%s / %s", d.UID, p.Title)
				for _, s := range series {
					cp.Series = append(cp.Series, finite(s))
				}
			}
			panels = append(panels, cp)
		}
		path := filepath.Join(*images, strings.TrimSuffix(names[i], ".json")+".png")
		f, err := os.Create(path)
		require.NoError(t, err)
		sub := fmt.Sprintf("Rendered from a real Prometheus by TestEveryPanelShowsData: functions %s (Pushgateway) and %s (remote write), %s of data",
			data.functions[0], data.functions[1], data.end.Sub(data.start).Round(time.Second))
		require.NoError(t, chart.Render(f, d.Title, sub, data.start, data.end, panels))
		require.NoError(t, f.Close())
		t.Logf("wrote %s", path)
	}
}

// legendRef matches {{label}} in a legend format.
var legendRef = regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`)

// legend names a series as Grafana would from the target's legend format.
func legend(format string, metric map[string]string) string {
	if format == "" {
		var parts []string
		for k, v := range metric {
			parts = append(parts, k+"="+v)
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return legendRef.ReplaceAllStringFunc(format, func(m string) string {
		return metric[legendRef.FindStringSubmatch(m)[1]]
	})
}

// finite drops the NaN and infinite points Grafana draws as gaps.
func finite(s chart.Series) chart.Series {
	out := chart.Series{Name: s.Name}
	for _, p := range s.Points {
		if !math.IsNaN(p.V) && !math.IsInf(p.V, 0) {
			out.Points = append(out.Points, p)
		}
	}
	return out
}

// fetch runs a target's query as Grafana would: an instant query at end, or
// a range query from start to end. Every point is returned, NaN included.
func fetch(ctx context.Context, base, expr string, tg board.Target, start, end time.Time) ([]chart.Series, error) {
	q := url.Values{"query": {expr}}
	path := "/api/v1/query_range"
	if tg.Instant {
		path = "/api/v1/query"
		q.Set("time", unixSeconds(end))
	} else {
		q.Set("start", unixSeconds(start))
		q.Set("end", unixSeconds(end))
		q.Set("step", pictureStep.String())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
				Values [][2]any          `json:"values"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("query %q: %s", expr, r.Error)
	}
	var out []chart.Series
	for _, res := range r.Data.Result {
		s := chart.Series{Name: legend(tg.LegendFormat, res.Metric)}
		values := res.Values
		if tg.Instant {
			values = [][2]any{res.Value}
		}
		for _, v := range values {
			ts, _ := v[0].(float64)
			str, _ := v[1].(string)
			f, err := strconv.ParseFloat(str, 64)
			if err != nil {
				return nil, fmt.Errorf("query %q: value %q: %w", expr, str, err)
			}
			s.Points = append(s.Points, chart.Point{T: time.Unix(0, int64(ts*1e9)), V: f})
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// unixSeconds renders t for the HTTP API, to the millisecond.
func unixSeconds(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64)
}

// apiClient asks Prometheus without keeping connections open, so no
// connection goroutine outlives the test.
var apiClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
