package e2e_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

// blackHole accepts TCP connections on 127.0.0.1 and never answers: a
// collector that hangs.
func blackHole(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		l.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// TestTracingDeadCollector: with the collector gone (a closed port) or hung
// (it accepts and never answers), over either OTLP protocol, invocations
// still succeed; each flusher's first failure is reported once, then the
// flush point backs off instead of waiting for it again (the exporter's own
// timeout is ten minutes, so only the flush budget and the backoff bound
// the loop), and the spans are kept for a later flush rather than dropped,
// as the gauges and counters scraped from the function's Prometheus
// endpoint show (classic mode: the function runs as this test's user and
// its port is reachable).
func TestTracingDeadCollector(t *testing.T) {
	bin := testfunc(t)
	closedPort := func(t *testing.T) string { return testenv.FreeAddr(t) }
	tests := []struct {
		name     string
		protocol string
		endpoint func(t *testing.T) string
	}{
		{name: "http/protobuf, closed port", protocol: "http/protobuf", endpoint: closedPort},
		{name: "http/protobuf, collector that never answers", protocol: "http/protobuf", endpoint: blackHole},
		{name: "grpc, closed port", protocol: "grpc", endpoint: closedPort},
		{name: "grpc, collector that never answers", protocol: "grpc", endpoint: blackHole},
	}
	const invocations = 6
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			metricsAddr := testenv.FreeAddr(t)
			em := rie.StartClassic(t, bin, rie.WithFunctionName(tracedFunction), otlpEnv(tt.protocol, "http://"+tt.endpoint(t),
				"OTEL_EXPORTER_OTLP_TIMEOUT=600000", "LUMEN_FLUSH_BUDGET=200ms",
				"OTEL_METRICS_EXPORTER=prometheus", "LUMEN_METRICS_ADDR="+metricsAddr))
			ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
			defer cancel()
			for range invocations {
				resp, err := em.InvokeJSON(ctx, event{Op: "span"}, nil)
				require.NoError(t, err, "an invoke waited on a flush the budget should have ended")
				decodeHandlerSpan(t, resp)
			}
			got := waitMetrics(t, "http://"+metricsAddr+"/metrics", func(m map[string]float64) bool {
				return m[`faas_telemetry_flush_failures_total{flusher="traces"}`]+m[`faas_telemetry_flush_overruns_total{flusher="traces"}`] >= 1
			})
			require.Zero(t, got[`faas_telemetry_dropped_items_total{exporter="otlp",signal="traces"}`],
				"spans are kept for a later flush while the buffer has room: %v", got)
			// The report reaches the log on the error handler's own
			// goroutine, after the count: wait for it before counting.
			waitOutput(t, em, "flush traces")
			require.Equal(t, 1, strings.Count(em.Output(), "flush traces"),
				"the traces flusher's failure is reported once, not at every invocation:\n%s", em.Output())
		})
	}
}

// waitMetrics scrapes url until ok holds for its samples, keyed
// `name{label="value",…}` with the labels sorted and the function's constant
// labels (faas_name, …) left out. Scraping a real endpoint until a count
// shows is how a value the runtime records after its flush is observed.
func waitMetrics(t *testing.T, url string, ok func(map[string]float64) bool) map[string]float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var last map[string]float64
	for {
		m, err := testenv.Samples(ctx, url)
		if err == nil {
			last = m
			if ok(m) {
				return m
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("scraping %s: %v; last samples: %v", url, err, last)
		case <-tick.C:
		}
	}
}

// waitOutput polls the emulator's output until it holds want: the runtime
// writes some lines on a goroutine of its own.
func waitOutput(t *testing.T, em *rie.Emulator, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(em.Output(), want) {
		select {
		case <-ctx.Done():
			t.Fatalf("%q never appeared in the output:\n%s", want, em.Output())
		case <-tick.C:
		}
	}
}
