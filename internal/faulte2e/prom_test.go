package faulte2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/faultproxy"
	"github.com/lumen-rt/lumen/internal/promtest"
)

// promClient asks the real servers without keeping connections open.
var promClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// get returns the body of a 200 answer to GET u.
func get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := promClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return b, nil
}

// pushedInvocations returns the sum of faas_invocations_total the
// Pushgateway holds for the function's group, and whether it holds the
// group at all.
func pushedInvocations(ctx context.Context, base string) (float64, bool) {
	b, err := get(ctx, base+"/metrics")
	if err != nil {
		return 0, false
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(string(b)))
	if err != nil {
		return 0, false
	}
	var total float64
	found := false
	for _, m := range fams["faas_invocations_total"].GetMetric() {
		job, instance := "", ""
		for _, l := range m.GetLabel() {
			switch l.GetName() {
			case "job":
				job = l.GetValue()
			case "instance":
				instance = l.GetValue()
			}
		}
		if job == functionName && instance == instanceID {
			total += m.GetCounter().GetValue() + m.GetUntyped().GetValue()
			found = true
		}
	}
	return total, found
}

// instantQuery runs a PromQL query once and returns its samples' values.
func instantQuery(ctx context.Context, base, promql string) ([]float64, error) {
	b, err := get(ctx, base+"/api/v1/query?"+url.Values{"query": {promql}}.Encode())
	if err != nil {
		return nil, err
	}
	var r struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	out := make([]float64, 0, len(r.Data.Result))
	for _, s := range r.Data.Result {
		v, _ := s.Value[1].(string)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// writtenInvocations returns the sum of the function's faas_invocations_total
// series Prometheus holds from remote write now, and whether it holds any.
func writtenInvocations(ctx context.Context, base string) (float64, bool) {
	vs, err := instantQuery(ctx, base, fmt.Sprintf(`faas_invocations_total{job=%q,instance=%q}`, functionName, instanceID))
	if err != nil || len(vs) == 0 {
		return 0, false
	}
	var total float64
	for _, v := range vs {
		total += v
	}
	return total, true
}

// promFaults are the faults of the Pushgateway and remote-write matrix: a
// 200 with a body nobody reads is a success for both protocols, so it is
// not a fault there.
var promFaults = []faultproxy.Fault{faultRefused, faultBlackholed, faultSlow, faultUnavail, faultInternal, faultThrottled, faultGarbage}

// TestPrometheusFaults is the fault matrix of the Pushgateway and
// remote-write exporters: the real Debian Pushgateway, and Prometheus'
// remote write receiver, behind the fault proxy, with Lumen's defaults.
// Traces and logs go to a healthy Collector meanwhile. For each fault:
// every answer is right; the exporter reports its failure once and backs
// off (its skips are counted; every failed push is counted as dropped, as
// these exporters document); the traces and logs of every invocation
// arrive throughout; after the heal the metrics flow again and the last
// value the backend holds counts every invocation.
func TestPrometheusFaults(t *testing.T) {
	testfunc(t)
	backends := []struct {
		name    string
		flusher string
		start   func(t *testing.T) (upstream string, env func(proxy string) []string, value func(ctx context.Context) (float64, bool))
	}{
		{name: "pushgateway", flusher: "pushgateway", start: func(t *testing.T) (string, func(string) []string, func(context.Context) (float64, bool)) {
			base := promtest.StartPushgateway(t)
			return base, func(proxy string) []string {
					return []string{"OTEL_METRICS_EXPORTER=pushgateway", "LUMEN_PUSHGATEWAY_URL=" + proxy}
				}, func(ctx context.Context) (float64, bool) {
					return pushedInvocations(ctx, base)
				}
		}},
		{name: "remotewrite", flusher: "remotewrite", start: func(t *testing.T) (string, func(string) []string, func(context.Context) (float64, bool)) {
			base := promtest.StartPrometheus(t, "")
			return base, func(proxy string) []string {
					return []string{"OTEL_METRICS_EXPORTER=remotewrite", "LUMEN_REMOTE_WRITE_URL=" + proxy + "/api/v1/write"}
				}, func(ctx context.Context) (float64, bool) {
					return writtenInvocations(ctx, base)
				}
		}},
	}
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			for _, fault := range promFaults {
				t.Run(fault.String(), func(t *testing.T) {
					upstream, env, value := be.start(t)
					proxy := faultproxy.Start(t, strings.TrimPrefix(upstream, "http://"))
					otlp := startOTLPBackend(t) // healthy: traces and logs
					f := startFunction(t, append(env(proxy.URL()),
						"OTEL_EXPORTER_OTLP_ENDPOINT="+otlp.proxy.URL(), "OTEL_TRACES_EXPORTER=otlp", "OTEL_LOGS_EXPORTER=otlp")...)
					metricsFrom := func(from int) bool {
						v, ok := value(t.Context())
						return ok && v > float64(from)
					}
					c := &cell{exporter: be.name, fault: fault, f: f, path: proxy,
						flowing: func(from int) bool {
							spans, _ := otlp.workSpans()
							return metricsFrom(from) && hasFrom(spans, from) && hasFrom(otlp.workLogs(), from)
						},
						retried: func(m map[string]float64) bool { return failedFlushes(m, be.flusher) >= 2 }}
					c.run(t)

					out := f.em.Output()
					require.Equal(t, map[string]int{be.flusher: 1}, reports(out),
						"the exporter waited for the failing backend once, then backed off:\n%s", out)
					n := f.next
					require.True(t, poll(t.Context(), func() bool { v, _ := value(t.Context()); return v == float64(n) }),
						"the backend's last value counts every invocation")
					require.True(t, poll(t.Context(), func() bool {
						spans, _ := otlp.workSpans()
						return len(spans) == n && len(otlp.workLogs()) == n
					}), "the other signals lost nothing")
					m := f.waitMetrics("the counts", func(map[string]float64) bool { return true })
					t.Logf("%d invocations, %d during the fault; counts:\n%s", n, c.faulty, dump(m, "faas_telemetry"))
					requireBackedOff(t, m, out, be.flusher)
					require.Positive(t, sum(m, "faas_telemetry_dropped_items_total", `exporter="`+be.flusher+`"`), "failed pushes are counted")
					require.Zero(t, sum(m, "faas_telemetry_dropped_items_total", `exporter="otlp"`))
				})
			}
		})
	}
}
