package collector

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lumen-rt/lumen/internal/testenv"
)

// ToolName is the collector binary testenv.Tool looks for.
const ToolName = "otelcol-lumen"

// startTimeout bounds how long Start waits for the collector to listen.
const startTimeout = 30 * time.Second

// Collector is a running otelcol-lumen whose pipelines (traces, metrics,
// logs: otlp receiver → batch → otlphttp exporter) end in a [Sink].
type Collector struct {
	// Sink holds what the collector forwarded: Spans, WaitSpans, Metrics,
	// LogRecords and the rest.
	*Sink
	proc     *testenv.Process
	httpAddr string
	grpcAddr string
}

// Start runs the collector for the duration of the test, forwarding to a
// [Sink] of its own. It skips the test under -short, and when otelcol-lumen
// is missing (fails under CI=true).
func Start(t testing.TB) *Collector {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a real OpenTelemetry Collector; skipped with -short")
	}
	sink := NewSink(t) // registered first, so closed after the collector stops
	c := Forward(t, sink.URL())
	c.Sink = sink
	return c
}

// Forward runs the collector for the duration of the test, forwarding every
// signal over OTLP/HTTP to sinkURL, a server the test started before (so
// that it stops after the collector). The returned Collector has no Sink.
// It skips and fails as Start does.
func Forward(t testing.TB, sinkURL string) *Collector {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a real OpenTelemetry Collector; skipped with -short")
	}
	bin := testenv.Tool(t, ToolName)
	c := &Collector{httpAddr: testenv.FreeAddr(t), grpcAddr: testenv.FreeAddr(t)}
	cfg := filepath.Join(t.TempDir(), "otelcol.yaml")
	if err := os.WriteFile(cfg, []byte(config(c.httpAddr, c.grpcAddr, sinkURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	c.proc = testenv.Start(t, exec.Command(bin, "--config", cfg))

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	// The receiver answers GET on its OTLP path with 405 once it listens.
	if err := testenv.WaitHTTP(ctx, c.OTLPHTTPEndpoint()+"/v1/traces", c.proc.Exited()); err != nil {
		t.Fatalf("collector did not start: %v\n%s", err, c.proc.Output())
	}
	if err := waitTCP(ctx, c.grpcAddr, c.proc.Exited()); err != nil {
		t.Fatalf("collector gRPC receiver did not start: %v\n%s", err, c.proc.Output())
	}
	return c
}

// OTLPHTTPEndpoint is the base URL of the OTLP/HTTP receiver, as
// OTEL_EXPORTER_OTLP_ENDPOINT takes it: http://127.0.0.1:port.
func (c *Collector) OTLPHTTPEndpoint() string { return "http://" + c.httpAddr }

// OTLPGRPCEndpoint is the OTLP/gRPC receiver as OTEL_EXPORTER_OTLP_ENDPOINT
// takes it: http://127.0.0.1:port (the http scheme means no TLS).
func (c *Collector) OTLPGRPCEndpoint() string { return "http://" + c.grpcAddr }

// Endpoint returns the receiver endpoint for an OTLP protocol:
// "grpc" or "http/protobuf".
func (c *Collector) Endpoint(protocol string) string {
	if protocol == "grpc" {
		return c.OTLPGRPCEndpoint()
	}
	return c.OTLPHTTPEndpoint()
}

// Setenv points OpenTelemetry's OTLP exporters at the collector for the
// rest of the test: OTEL_EXPORTER_OTLP_PROTOCOL and
// OTEL_EXPORTER_OTLP_ENDPOINT.
func (c *Collector) Setenv(t testing.TB, protocol string) {
	t.Helper()
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", protocol)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", c.Endpoint(protocol))
}

// Output returns what the collector has logged so far.
func (c *Collector) Output() string { return c.proc.Output() }

// Stop stops the collector (it flushes its batch processor first). The test
// stops it anyway when it ends.
func (c *Collector) Stop() { c.proc.Stop() }

// waitTCP polls until addr accepts a TCP connection, the process exits, or
// ctx ends: readiness of a real server, observed.
func waitTCP(ctx context.Context, addr string, exited <-chan struct{}) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			return conn.Close()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return fmt.Errorf("process exited before %s accepted connections", addr)
		case <-tick.C:
		}
	}
}

// config is the collector configuration: both OTLP receivers on loopback,
// every signal batched and forwarded to the sink over OTLP/HTTP without
// compression, retries or queue (what fails, fails at once), and the
// collector's own metrics endpoint off so parallel collectors do not clash.
func config(httpAddr, grpcAddr, sinkURL string) string {
	return fmt.Sprintf(`receivers:
  otlp:
    protocols:
      grpc:
        endpoint: %s
      http:
        endpoint: %s
processors:
  batch:
    timeout: 10ms
exporters:
  otlphttp:
    endpoint: %s
    compression: none
    encoding: proto
    retry_on_failure:
      enabled: false
    sending_queue:
      enabled: false
service:
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp]
`, grpcAddr, httpAddr, sinkURL)
}
