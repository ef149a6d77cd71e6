package otlpgrpc_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpgrpc"
)

// otlpEnv points every signal at endpoint over protocol and clears the
// variables that would change the results.
func otlpEnv(t *testing.T, protocol, endpoint string) {
	t.Helper()
	for _, k := range []string{
		"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_COMPRESSION",
		"OTEL_LOGS_EXPORTER", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SERVICE_NAME", "LUMEN_METRICS_INSTANCE",
		"AWS_LAMBDA_LOG_LEVEL", "AWS_LAMBDA_LOG_FORMAT",
	} {
		t.Setenv(k, "")
	}
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", protocol)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
	// Records leave on ForceFlush only, never on the batch timer.
	t.Setenv("OTEL_BLRP_SCHEDULE_DELAY", "3600000")
}

// pipeline is what the three registered factories build from one Config.
type pipeline struct {
	spans   sdktrace.SpanExporter
	metrics exporters.Flusher
	logs    exporters.LogExporter
	reg     *exportertest.Registry
	drops   *exportertest.Drops
}

// newPipeline looks "otlp" up for every signal and builds the exporters
// with a registry and a drop counter, shut down when the test ends.
func newPipeline(t *testing.T) *pipeline {
	t.Helper()
	p := &pipeline{reg: exportertest.NewRegistry(), drops: &exportertest.Drops{}}
	cfg := exporters.Config{Drops: p.drops, Gatherer: p.reg}
	var err error
	p.spans, err = exportertest.Build(t, exporters.LookupSpanExporter, otlpgrpc.Name, cfg)
	require.NoError(t, err)
	p.metrics, err = exportertest.Build(t, exporters.LookupMetricsExporter, otlpgrpc.Name, cfg)
	require.NoError(t, err)
	p.logs, err = exportertest.Build(t, exporters.LookupLogExporter, otlpgrpc.Name, cfg)
	require.NoError(t, err)
	return p
}

// emit sends n spans, the registry's metrics and n log records, then
// flushes every signal and returns the flush errors.
func (p *pipeline) emit(t *testing.T, n int) (spanErr, metricErr, logErr error) {
	t.Helper()
	spanErr = p.spans.ExportSpans(t.Context(), spanStubs(n).Snapshots())
	p.reg.Invoke(3, 0)
	metricErr = p.metrics.ForceFlush(t.Context())
	log := slog.New(p.logs.Handler())
	for range n {
		log.Info("hello")
	}
	logErr = p.logs.ForceFlush(t.Context())
	return spanErr, metricErr, logErr
}

// spanStubs returns n sampled spans of one trace.
func spanStubs(n int) tracetest.SpanStubs {
	spans := make(tracetest.SpanStubs, n)
	for i := range spans {
		spans[i] = tracetest.SpanStub{Name: "work", SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: trace.TraceID{1}, SpanID: trace.SpanID{byte(i + 1)}, TraceFlags: trace.FlagsSampled,
		})}
	}
	return spans
}
