package otlpgrpc_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpgrpc"
)

// pipeline is what the three registered factories build from one Config.
type pipeline struct {
	spans   sdktrace.SpanExporter
	metrics exporters.Flusher
	logs    exporters.LogExporter
	reg     *exportertest.Registry
	drops   *exportertest.Drops
}

// newPipeline builds the exporters registered as otlpgrpc, sending to the
// gRPC endpoint, with a registry and a drop counter; they are shut down
// when the test ends.
func newPipeline(t *testing.T, endpoint string) *pipeline {
	t.Helper()
	t.Setenv("OTEL_BLRP_SCHEDULE_DELAY", "3600000") // records leave on ForceFlush only
	p := &pipeline{reg: exportertest.NewRegistry(), drops: &exportertest.Drops{}}
	cfg := exporters.Config{
		Drops: p.drops, Gatherer: p.reg,
		Resource: resource.NewSchemaless(attribute.String("service.name", "hello")),
		OTLP:     exporters.OTLPSettings{Endpoint: endpoint, Protocol: exporters.ProtocolGRPC},
	}
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
