package collector

import (
	"bytes"
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// TestTracesThroughCollector sends an invocation's spans with the exporter
// the telemetry package builds for OTEL_TRACES_EXPORTER=otlp, through the
// real collector over each OTLP protocol, and reads them back from the
// sink.
func TestTracesThroughCollector(t *testing.T) {
	for _, protocol := range []string{"http/protobuf", "grpc"} {
		t.Run(protocol, func(t *testing.T) {
			c := Start(t)
			var dropped atomic.Int64
			exp := otlpSpanExporter(t, c, protocol, dropCounter(func(n int) { dropped.Add(int64(n)) }))
			res := resource.NewSchemaless(attribute.String("service.name", "hello"), attribute.String("faas.name", "hello"))
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res),
				sdktrace.WithIDGenerator(tracing.IDGenerator{}))
			t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })

			h, err := invocation.ParseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
			require.NoError(t, err)
			tr := tp.Tracer("lumen")
			ctx, inv := tr.Start(trace.ContextWithRemoteSpanContext(t.Context(), h.SpanContext()), "hello",
				trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attribute.Bool("faas.coldstart", true)))
			_, handle := tr.Start(ctx, "lumen.handle")
			handle.SetStatus(codes.Error, "boom")
			handle.End()
			inv.End()
			require.NoError(t, tp.ForceFlush(t.Context()))

			spans, err := c.WaitSpans(t.Context(), 2)
			require.NoError(t, err, "collector output:\n%s", c.Output())
			require.Len(t, spans, 2)
			byName := map[string]*tracepb.Span{}
			for _, s := range spans {
				byName[s.GetName()] = s
			}
			wantTrace := []byte{0x57, 0x59, 0xe9, 0x88, 0xbd, 0x86, 0x2e, 0x3f, 0xe1, 0xbe, 0x46, 0xa9, 0x94, 0x27, 0x27, 0x93}
			invSpan, handleSpan := byName["hello"], byName["lumen.handle"]
			require.NotNil(t, invSpan)
			require.NotNil(t, handleSpan)
			require.Equal(t, wantTrace, invSpan.GetTraceId())
			require.Equal(t, wantTrace, handleSpan.GetTraceId())
			require.Equal(t, []byte{0x53, 0x99, 0x5c, 0x3f, 0x42, 0xcd, 0x8a, 0xd8}, invSpan.GetParentSpanId())
			require.Equal(t, invSpan.GetSpanId(), handleSpan.GetParentSpanId())
			require.Equal(t, tracepb.Span_SPAN_KIND_SERVER, invSpan.GetKind())
			require.Equal(t, tracepb.Status_STATUS_CODE_ERROR, handleSpan.GetStatus().GetCode())
			require.Equal(t, "boom", handleSpan.GetStatus().GetMessage())
			require.True(t, hasAttr(invSpan.GetAttributes(), "faas.coldstart", &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}))

			rs := c.TraceRequests()[0].GetResourceSpans()[0]
			require.True(t, hasAttr(rs.GetResource().GetAttributes(), "service.name", strValue("hello")))
			require.Empty(t, c.Errors())
			require.Zero(t, dropped.Load())
		})
	}
}

// TestMetricsAndLogsThroughCollector posts OTLP/HTTP metrics and logs to the
// collector and reads them back from the sink: every pipeline is wired.
func TestMetricsAndLogsThroughCollector(t *testing.T) {
	c := Start(t)
	metrics := &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{{
		ScopeMetrics: []*metricspb.ScopeMetrics{{Metrics: []*metricspb.Metric{{
			Name: "faas.invocations",
			Data: &metricspb.Metric_Sum{Sum: &metricspb.Sum{
				IsMonotonic:            true,
				AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE,
				DataPoints:             []*metricspb.NumberDataPoint{{Value: &metricspb.NumberDataPoint_AsInt{AsInt: 3}, TimeUnixNano: 1}},
			}},
		}}}},
	}}}
	logs := &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{{
		ScopeLogs: []*logspb.ScopeLogs{{LogRecords: []*logspb.LogRecord{{Body: strValue("hello"), TimeUnixNano: 1}}}},
	}}}
	post(t, c.OTLPHTTPEndpoint()+"/v1/metrics", metrics)
	post(t, c.OTLPHTTPEndpoint()+"/v1/logs", logs)

	ms, err := c.WaitMetrics(t.Context(), 1)
	require.NoError(t, err)
	require.Equal(t, "faas.invocations", ms[0].GetName())
	require.Equal(t, int64(3), ms[0].GetSum().GetDataPoints()[0].GetAsInt())
	lr, err := c.WaitLogRecords(t.Context(), 1)
	require.NoError(t, err)
	require.Equal(t, "hello", lr[0].GetBody().GetStringValue())
}

func post(t *testing.T, url string, m proto.Message) {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func strValue(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}

func hasAttr(attrs []*commonpb.KeyValue, key string, want *commonpb.AnyValue) bool {
	for _, kv := range attrs {
		if kv.GetKey() == key && proto.Equal(kv.GetValue(), want) {
			return true
		}
	}
	return false
}

type dropCounter func(n int)

func (f dropCounter) Dropped(_, _ string, n int) { f(n) }
