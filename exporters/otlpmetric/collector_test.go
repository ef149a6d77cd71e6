package otlpmetric_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/internal/testenv"
	"github.com/lumen-rt/lumen/tracing"
)

// startCollector starts the real OpenTelemetry Collector (otelcol-lumen,
// core components) with an OTLP/HTTP receiver on a free port and an
// otlphttp exporter to downstream, without queue or retries, so a flush
// that returns has been delivered downstream. It returns the receiver's base
// URL.
func startCollector(t testing.TB, downstream string) string {
	t.Helper()
	bin := testenv.Tool(t, "otelcol-lumen")
	addr := testenv.FreeAddr(t)
	cfg := fmt.Sprintf(`receivers:
  otlp:
    protocols:
      http:
        endpoint: %s
exporters:
  otlphttp:
    metrics_endpoint: %s/v1/metrics
    compression: none
    retry_on_failure:
      enabled: false
    sending_queue:
      enabled: false
service:
  telemetry:
    logs:
      level: warn
    metrics:
      level: none
  pipelines:
    metrics:
      receivers: [otlp]
      exporters: [otlphttp]
`, addr, downstream)
	path := filepath.Join(t.TempDir(), "collector.yaml")
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	p := testenv.Start(t, exec.Command(bin, "--config", path))
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	// The receiver answers GET with 405 once it listens.
	require.NoError(t, testenv.WaitHTTP(ctx, "http://"+addr+"/v1/metrics", p.Exited()), p.Output())
	return "http://" + addr
}

// TestThroughRealCollector: two emulated execution environments flush at
// the same time through the real collector; downstream, each environment's
// resource carries its own service.instance.id and exact cumulative values.
func TestThroughRealCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the OpenTelemetry Collector")
	}
	lambdaEnv(t, map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "orders"})
	down := newFakeCollector(t, http.StatusOK)
	col := startCollector(t, down.URL)

	envs := []struct {
		id      string
		batches []int
	}{{"env-a", []int{5, 7, 1}}, {"env-b", []int{3, 11, 6}}}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for _, env := range envs {
		reg := exportertest.NewRegistry()
		e := newExporter(t, reg, col, otlpmetric.WithResource(tracing.NewResource(tracing.Environment{FunctionName: "orders", InstanceID: env.id})))
		wg.Go(func() {
			for _, n := range env.batches {
				reg.Invoke(n, 4)
				if err := e.ForceFlush(t.Context()); err != nil {
					errs <- fmt.Errorf("%s: %w", env.id, err)
				}
			}
			if err := e.Shutdown(t.Context()); err != nil {
				errs <- fmt.Errorf("%s: shutdown: %w", env.id, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.False(t, t.Failed())

	// The last request of each environment holds its final values.
	last := map[string]summary{}
	perEnv := map[string]int{}
	for _, r := range down.Requests() {
		s := summarize(t, r)
		id := s.Resource["service.instance.id"]
		require.Equal(t, "orders", s.Resource["faas.name"])
		last[id] = s
		perEnv[id]++
	}
	require.Equal(t, map[string]int{"env-a": 4, "env-b": 4}, perEnv, "3 flushes and a final export each")
	// a: 13 invocations, errors 1+1+0; b: 20 invocations, errors 0+2+1.
	want := map[string][3]float64{"env-a": {13, 11, 2}, "env-b": {20, 17, 3}}
	for id, w := range want {
		require.Equal(t, w[0], last[id].Values["lumen_test_duration_seconds,count"], id)
		require.Equal(t, w[1], last[id].Values["lumen_test_invocations_total,result=success"], id)
		require.Equal(t, w[2], last[id].Values["lumen_test_invocations_total,result=error"], id)
	}
}
