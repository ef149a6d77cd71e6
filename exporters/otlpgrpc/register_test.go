package otlpgrpc_test

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpgrpc"
	"github.com/lumen-rt/lumen/exporters/traces"
	"github.com/lumen-rt/lumen/internal/collector"
)

// TestRegistered checks that importing the package makes "otlp"
// resolvable for every signal.
func TestRegistered(t *testing.T) {
	for _, signal := range []string{exporters.SignalTraces, exporters.SignalMetrics, exporters.SignalLogs} {
		t.Run(signal, func(t *testing.T) {
			require.Contains(t, exporters.Registered(signal), otlpgrpc.Name)
		})
	}
}

// TestDeliveredAndCounted sends every signal through the registered
// factories to a fake collector, then makes it refuse and checks that
// each loss is counted once, under the exporter that lost it.
func TestDeliveredAndCounted(t *testing.T) {
	sink := collector.NewSink(t)
	otlpEnv(t, otlpgrpc.ProtocolHTTP, sink.URL())
	p := newPipeline(t)

	spanErr, metricErr, logErr := p.emit(t, 2)
	require.NoError(t, spanErr)
	require.NoError(t, metricErr)
	require.NoError(t, logErr)
	require.Len(t, sink.Spans(), 2)
	require.Len(t, sink.Metrics(), 3) // invocations, duration, memory
	require.Len(t, sink.LogRecords(), 2)
	items, calls := p.drops.Get()
	require.Nil(t, items)
	require.Zero(t, calls)

	sink.SetStatus(http.StatusBadRequest) // not retryable: fails at once
	spanErr, metricErr, logErr = p.emit(t, 3)
	require.Error(t, spanErr)
	require.Error(t, metricErr)
	require.Error(t, logErr)
	items, _ = p.drops.Get()
	require.Equal(t, map[string]int{
		"otlp/traces":        3, // the built-in exporter over HTTP
		"otlpmetric/metrics": exportertest.RegistryPoints,
		"otlp/logs":          3, // the built-in exporter over HTTP
	}, items)
}

// TestSpanExporterGRPC sends over gRPC to a TCP listener that closes every
// connection: the export fails once OTEL_EXPORTER_OTLP_TIMEOUT has passed,
// and the span is counted once through exporters/traces.
// TestThroughCollector proves delivery over gRPC.
func TestSpanExporterGRPC(t *testing.T) {
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
	otlpEnv(t, otlpgrpc.ProtocolGRPC, "http://"+l.Addr().String())
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "100")

	var drops exportertest.Drops
	exps, err := traces.New(t.Context(), traces.WithExporters(otlpgrpc.Name), traces.WithDropCounter(&drops))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, exps[0].Shutdown(context.Background())) })
	c, ok := exps[0].(*traces.CountingExporter)
	require.True(t, ok)
	require.IsType(t, &otlptrace.Exporter{}, c.Unwrap())

	require.ErrorContains(t, exps[0].ExportSpans(t.Context(), spanStubs(1).Snapshots()), "export timeout")
	require.Equal(t, 1, drops.Count(otlpgrpc.Name, exporters.SignalTraces))
}

// TestInvalidProtocol checks that every signal's factory rejects a protocol
// other than http/protobuf and grpc, naming the variable that holds it.
func TestInvalidProtocol(t *testing.T) {
	tests := []struct {
		signal, variable string
	}{
		{signal: exporters.SignalTraces, variable: otlpgrpc.EnvTracesProtocol},
		{signal: exporters.SignalMetrics, variable: "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"},
		{signal: exporters.SignalLogs, variable: "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL"},
		{signal: exporters.SignalLogs, variable: otlpgrpc.EnvProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.signal+" "+tt.variable, func(t *testing.T) {
			otlpEnv(t, otlpgrpc.ProtocolHTTP, "http://127.0.0.1:4318")
			t.Setenv(tt.variable, "http/json")
			err := build(t, tt.signal)
			require.ErrorIs(t, err, otlpgrpc.ErrInvalidProtocol)
			require.ErrorContains(t, err, tt.variable+`="http/json"`)
		})
	}
}

// build looks "otlp" up for signal and builds it; it returns the
// factory's error.
func build(t *testing.T, signal string) error {
	cfg := exporters.Config{Gatherer: exportertest.NewRegistry()}
	var err error
	switch signal {
	case exporters.SignalTraces:
		_, err = exportertest.Build(t, exporters.LookupSpanExporter, otlpgrpc.Name, cfg)
	case exporters.SignalMetrics:
		_, err = exportertest.Build(t, exporters.LookupMetricsExporter, otlpgrpc.Name, cfg)
	case exporters.SignalLogs:
		_, err = exportertest.Build(t, exporters.LookupLogExporter, otlpgrpc.Name, cfg)
	}
	return err
}
