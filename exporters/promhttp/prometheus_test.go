package promhttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/promhttp"
	"github.com/lumen-rt/lumen/internal/testenv"
	"github.com/lumen-rt/lumen/metrics"
)

// A real Prometheus scrapes the endpoint every second; the series the
// Recorder produced are queried back through its HTTP API. With native
// histograms on, Prometheus negotiates protobuf and ingests the native
// histogram the Recorder emits alongside the classic buckets.
func TestScrapedByPrometheus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real Prometheus")
	}
	bin := testenv.Tool(t, "prometheus")
	tests := []struct {
		name    string
		flags   []string
		queries map[string]string
	}{
		{
			name: "classic",
			queries: map[string]string{
				`sum(faas_invocations_total{job="lumen",faas_name="local"})`:                     "4",
				`faas_errors_total{job="lumen",error_type="errorString",faas_trigger="http"}`:    "1",
				`faas_invoke_duration_seconds_count{job="lumen",faas_trigger="http"}`:            "4",
				`faas_invoke_duration_seconds_bucket{job="lumen",faas_trigger="http",le="0.05"}`: "4",
				`faas_max_memory_bytes{job="lumen"}`:                                             "134217728",
				`up{job="lumen"}`:                                                                "1",
			},
		},
		{
			name:  "native histograms",
			flags: []string{"--enable-feature=native-histograms"},
			queries: map[string]string{
				`histogram_count(faas_invoke_duration_seconds{job="lumen",faas_trigger="http"})`: "4",
				`sum(faas_invocations_total{job="lumen",faas_name="local"})`:                     "4",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scrapeAndQuery(t, bin, tt.flags, tt.queries)
		})
	}
}

func scrapeAndQuery(t *testing.T, bin string, flags []string, queries map[string]string) {

	rec, err := metrics.New(metrics.WithFunctionName("local"), metrics.WithMaxMemory(128<<20))
	require.NoError(t, err)
	for range 3 {
		rec.InvocationStarted()
		rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP, Duration: 30 * time.Millisecond})
	}
	rec.InvocationStarted()
	rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP, ErrorType: "errorString"})

	srv, err := promhttp.New(rec.Gatherer(), "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, srv.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, srv.Shutdown(context.Background())) })

	dir := t.TempDir()
	config := filepath.Join(dir, "prometheus.yml")
	require.NoError(t, os.WriteFile(config, fmt.Appendf(nil, `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: lumen
    scrape_interval: 1s
    static_configs:
      - targets: [%q]
`, srv.Addr()), 0o600))
	web := testenv.FreeAddr(t)
	proc := testenv.Start(t, exec.Command(bin, append([]string{
		"--config.file=" + config,
		"--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + web,
	}, flags...)...))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	require.NoError(t, testenv.WaitHTTP(ctx, "http://"+web+"/-/ready", proc.Exited()))

	for query, want := range queries {
		require.Equal(t, want, pollQuery(t, ctx, web, query), query)
	}
}

// pollQuery asks Prometheus's /api/v1/query until the query returns one
// sample (the first scrapes may not have happened yet) and returns its value.
func pollQuery(t *testing.T, ctx context.Context, web, query string) string {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	u := "http://" + web + "/api/v1/query?query=" + url.QueryEscape(query)
	for {
		if v, ok := queryOnce(t, ctx, u); ok {
			return v
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no sample for %s: %v", query, ctx.Err())
		case <-tick.C:
		}
	}
}

func queryOnce(t *testing.T, ctx context.Context, u string) (string, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(t, "success", body.Status, body.Error)
	if len(body.Data.Result) != 1 {
		return "", false
	}
	v, _ := body.Data.Result[0].Value[1].(string)
	return v, true
}
