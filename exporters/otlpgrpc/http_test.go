package otlpgrpc_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/exporters/otlpgrpc"
	"github.com/lumen-rt/lumen/internal/collector"
)

// TestHTTPFromEnv checks that over http/protobuf the registered factories
// build the built-in exporters from the OTEL_EXPORTER_OTLP_* variables: a
// signal's own endpoint used as is, gzip, and the logging policy.
func TestHTTPFromEnv(t *testing.T) {
	sink := collector.NewSink(t)
	otlpEnv(t, otlpgrpc.ProtocolHTTP, "http://127.0.0.1:1") // nothing listens there
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", sink.URL()+"/v1/traces")
	t.Setenv("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", sink.URL()+"/v1/logs")
	t.Setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "X-Tenant=acme")
	t.Setenv("AWS_LAMBDA_LOG_LEVEL", "WARN")
	cfg := exporters.Config{Drops: &exportertest.Drops{}, Gatherer: exportertest.NewRegistry()}
	spans, err := exportertest.Build(t, exporters.LookupSpanExporter, otlpgrpc.Name, cfg)
	require.NoError(t, err)
	require.IsType(t, &otlp.SpanExporter{}, spans)
	logs, err := exportertest.Build(t, exporters.LookupLogExporter, otlpgrpc.Name, cfg)
	require.NoError(t, err)

	require.NoError(t, spans.ExportSpans(t.Context(), spanStubs(1).Snapshots()))
	log := slog.New(logs.Handler())
	log.Info("filtered by AWS_LAMBDA_LOG_LEVEL")
	log.Warn("kept")
	require.NoError(t, logs.ForceFlush(t.Context()))
	require.Len(t, sink.Spans(), 1)
	require.Len(t, sink.LogRecords(), 1)
	require.Equal(t, "kept", sink.LogRecords()[0].GetBody().GetStringValue())
}

// TestHTTPEnvErrors checks that a bad variable is an error naming it.
func TestHTTPEnvErrors(t *testing.T) {
	tests := []struct{ variable, value string }{
		{variable: "OTEL_EXPORTER_OTLP_COMPRESSION", value: "zstd"},
		{variable: "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", value: "soon"},
		{variable: "OTEL_EXPORTER_OTLP_HEADERS", value: "novalue"},
		{variable: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", value: "collector:4318"},
	}
	for _, tt := range tests {
		t.Run(tt.variable, func(t *testing.T) {
			otlpEnv(t, otlpgrpc.ProtocolHTTP, "http://127.0.0.1:4318")
			t.Setenv(tt.variable, tt.value)
			_, err := exportertest.Build(t, exporters.LookupSpanExporter, otlpgrpc.Name, exporters.Config{})
			require.Error(t, err)
			if tt.variable != "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" {
				require.ErrorContains(t, err, tt.variable)
			}
		})
	}
}
