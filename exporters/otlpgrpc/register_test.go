package otlpgrpc_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpgrpc"
)

// TestRegistered checks that importing the package makes exporters.GRPC
// resolvable for every signal.
func TestRegistered(t *testing.T) {
	require.Equal(t, exporters.GRPC, otlpgrpc.Name)
	for _, signal := range []string{exporters.SignalTraces, exporters.SignalMetrics, exporters.SignalLogs} {
		require.Contains(t, exporters.Registered(signal), otlpgrpc.Name, signal)
	}
}

// closingListener accepts TCP connections and closes each at once, until
// the test ends.
func closingListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	})
	t.Cleanup(func() { _ = l.Close(); wg.Wait() })
	return "http://" + l.Addr().String()
}

// TestSpanExporterFailure sends to a listener that closes every
// connection: the export fails once the configured timeout has passed, not
// retried, and counts nothing itself (the span processor in front of it
// keeps the spans for the next flush and counts what it has to drop).
func TestSpanExporterFailure(t *testing.T) {
	var drops exportertest.Drops
	exp, err := exportertest.Build(t, exporters.LookupSpanExporter, otlpgrpc.Name, exporters.Config{
		Drops: &drops,
		OTLP:  exporters.OTLPSettings{Endpoint: closingListener(t), Protocol: exporters.ProtocolGRPC, Timeout: 100 * time.Millisecond},
	})
	require.NoError(t, err)
	require.IsType(t, &otlptrace.Exporter{}, exp)

	require.Error(t, exp.ExportSpans(t.Context(), spanStubs(2).Snapshots()))
	require.Zero(t, drops.Count("otlp", exporters.SignalTraces))
}

// TestDeliveredAndCounted makes every signal fail against a closed port
// and checks that each loss is counted once, under the exporter that lost
// it.
func TestDeliveredAndCounted(t *testing.T) {
	p := newPipeline(t, exportertest.ClosedURL(t))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	spanErr := p.spans.ExportSpans(ctx, spanStubs(3).Snapshots())
	metricErr := p.metrics.ForceFlush(ctx)
	require.Error(t, spanErr)
	require.Error(t, metricErr)
	items, _ := p.drops.Get()
	require.Zero(t, items["otlp/traces"], "the span exporter leaves the counting to the span processor")
	require.Equal(t, exportertest.RegistryPoints, items["otlpmetric/metrics"])
}
