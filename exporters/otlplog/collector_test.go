package otlplog_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/internal/testenv"
	"github.com/lumen-rt/lumen/tracing"
)

// collectorConfig receives OTLP/HTTP on listen and forwards logs to the
// test's receiver (otlp_http) and to the collector's output (debug).
const collectorConfig = `
receivers:
  otlp:
    protocols:
      http:
        endpoint: %s
exporters:
  otlp_http:
    endpoint: %s
    compression: none
    retry_on_failure:
      enabled: false
    sending_queue:
      enabled: false
  debug:
    verbosity: detailed
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [otlp_http, debug]
`

// startCollector runs the OpenTelemetry Collector forwarding to forward and
// returns its OTLP/HTTP endpoint once it answers.
func startCollector(t *testing.T, forward string) (string, *testenv.Process) {
	t.Helper()
	bin := testenv.Tool(t, "otelcol-lumen")
	listen := testenv.FreeAddr(t)
	cfg := filepath.Join(t.TempDir(), "collector.yaml")
	require.NoError(t, os.WriteFile(cfg, fmt.Appendf(nil, collectorConfig, listen, forward), 0o600))
	p := testenv.Start(t, exec.Command(bin, "--config", cfg))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	endpoint := "http://" + listen
	require.NoError(t, testenv.WaitHTTP(ctx, endpoint+"/v1/logs", p.Exited()), p.Output())
	return endpoint, p
}

// TestThroughCollector sends records through a real OpenTelemetry Collector
// and checks what it forwards: trace and span ids, request id, resource.
func TestThroughCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the OpenTelemetry Collector")
	}
	r := newReceiver(t)
	endpoint, col := startCollector(t, r.srv.URL)
	setEnv(t, endpoint)
	var d exportertest.Drops
	exp, err := otlplog.New(t.Context(), otlplog.WithDropCounter(&d),
		otlplog.WithResource(tracing.NewResource(tracing.Environment{FunctionName: "checkout", ServiceName: "checkout-svc"})))
	require.NoError(t, err)
	defer func() { require.NoError(t, exp.Shutdown(context.Background())) }()

	l := slog.New(exp.Handler())
	const invocations = 4
	for n := range invocations {
		ctx, _ := invocationCtx(n, n != 3)
		l.InfoContext(ctx, "charged", "n", n, "authorization", "Bearer abc")
	}
	require.NoError(t, exp.ForceFlush(t.Context()))

	got := r.waitRecords(t, invocations)
	require.Len(t, got, invocations)
	require.Zero(t, droppedLogs(&d))
	for _, rc := range got {
		n := int(rc.Attrs["n"].(int64))
		require.Equal(t, "charged", rc.Body)
		require.Equal(t, "INFO", rc.Severity)
		require.Equal(t, requestID(n), rc.Attrs["faas.invocation_id"])
		require.Equal(t, "[REDACTED]", rc.Attrs["authorization"])
		require.Equal(t, "checkout-svc", rc.Resource["service.name"])
		require.Equal(t, "checkout", rc.Resource["faas.name"])
		if n == 3 {
			require.Equal(t, xrayAsTraceID(3), rc.TraceID)
			require.Empty(t, rc.SpanID)
			continue
		}
		_, sc := invocationCtx(n, true)
		require.Equal(t, sc.TraceID().String(), rc.TraceID)
		require.Equal(t, sc.SpanID().String(), rc.SpanID)
	}

	// The debug exporter printed them too, ids and all.
	_, sc := invocationCtx(0, true)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(col.Output(), requestID(invocations-1)) || !strings.Contains(col.Output(), sc.TraceID().String()) {
		select {
		case <-tick.C:
		case <-t.Context().Done():
			t.Fatalf("the collector's debug output lacks the records:\n%s", col.Output())
		}
	}
}

// TestCollectorDownIsCounted exports to a collector that has stopped: the
// flush fails within its context and every record is counted.
func TestCollectorDownIsCounted(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the OpenTelemetry Collector")
	}
	r := newReceiver(t)
	endpoint, col := startCollector(t, r.srv.URL)
	col.Stop()
	setEnv(t, endpoint)
	var d exportertest.Drops
	exp, err := otlplog.New(t.Context(), otlplog.WithDropCounter(&d))
	require.NoError(t, err)
	l := slog.New(exp.Handler())
	for range 3 {
		l.Info("nobody listens")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	require.Error(t, exp.ForceFlush(ctx))
	require.NoError(t, exp.Shutdown(t.Context()))
	require.Equal(t, 3, droppedLogs(&d))
}
