package otlp_test

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/invocation"
)

// TestThroughCollector sends all three signals, with every kind of value,
// through a real OpenTelemetry Collector, with and without gzip, and reads
// them back from its sink: the Collector accepts Lumen's encoding, and
// every signal carries the one resource.
func TestThroughCollector(t *testing.T) {
	for _, comp := range []otlp.Compression{otlp.CompressionNone, otlp.CompressionGzip} {
		t.Run(string(comp), func(t *testing.T) {
			c := collector.Start(t)
			tr := newTrio(t, otlp.WithEndpoint(c.OTLPHTTPEndpoint()), otlp.WithCompression(comp), otlp.WithResource(testResource))

			stub := tracetest.SpanStub{
				Name: "invoke", Resource: testResource, SpanKind: trace.SpanKindServer,
				StartTime: time.Unix(100, 0), EndTime: time.Unix(101, 0),
				SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: 1}),
				Attributes: []attribute.KeyValue{
					attribute.String("s", "v\xff"), attribute.Int("i", 1), attribute.Float64("f", 0.5), attribute.Bool("b", true),
					attribute.StringSlice("ss", []string{"a"}), attribute.Int64Slice("is", []int64{1}), attribute.ByteSlice("raw", []byte{0}),
					attribute.Map("m", attribute.String("k", "v")),
				},
				Events: []sdktrace.Event{{Name: "exception", Time: time.Unix(100, 5)}},
				Status: sdktrace.Status{Code: codes.Error, Description: "boom"},
			}
			require.NoError(t, tr.spans.ExportSpans(t.Context(), tracetest.SpanStubs{stub}.Snapshots()))
			require.NoError(t, tr.metrics.ForceFlush(t.Context()))
			info := &invocation.Info{ColdStart: true, TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793"}
			info.Lambda.AwsRequestID = "req-1"
			ctx := invocation.NewContext(t.Context(), info)
			slog.New(tr.logs.Handler()).WithGroup("g").ErrorContext(ctx, "hello", "err", errors.New("denied"),
				"took", time.Second, "at", time.Unix(0, 0).UTC(), "n", uint64(3))
			require.NoError(t, tr.logs.ForceFlush(t.Context()))

			spans, err := c.WaitSpans(t.Context(), 1)
			require.NoError(t, err, "collector output:\n%s", c.Output())
			require.Equal(t, "invoke", spans[0].GetName())
			require.Equal(t, map[string]any{
				"s": "v\uFFFD", "i": int64(1), "f": 0.5, "b": true, "ss": []any{"a"}, "is": []any{int64(1)}, "raw": []byte{0},
				"m": map[string]any{"k": "v"},
			}, otlptest.Attributes(spans[0].GetAttributes()))
			require.Equal(t, "boom", spans[0].GetStatus().GetMessage())

			metrics, err := c.WaitMetrics(t.Context(), sourcePoints)
			require.NoError(t, err, "collector output:\n%s", c.Output())
			names := map[string]bool{}
			for _, m := range metrics {
				names[m.GetName()] = true
			}
			require.Equal(t, map[string]bool{"faas.invocations": true, "faas.mem_usage": true, "faas.invoke_duration": true}, names)

			logs, err := c.WaitLogRecords(t.Context(), 1)
			require.NoError(t, err, "collector output:\n%s", c.Output())
			require.Equal(t, "hello", logs[0].GetBody().GetStringValue())
			require.Equal(t, map[string]any{
				"g.err": "denied", "g.took": int64(time.Second), "g.at": "1970-01-01T00:00:00Z", "g.n": int64(3),
				"faas.invocation_id": "req-1", "faas.coldstart": true,
			}, otlptest.Attributes(logs[0].GetAttributes()))
			require.Empty(t, c.Errors())

			res := c.TraceRequests()[0].GetResourceSpans()[0].GetResource().GetAttributes()
			require.Equal(t, map[string]any{"service.name": "hello"}, otlptest.Attributes(res))
		})
	}
}

// TestOneResource checks that the three signals carry the same resource,
// byte for byte.
func TestOneResource(t *testing.T) {
	srv := newScripted(t, answer{status: 200})
	tr := newTrio(t, otlp.WithEndpoint(srv.URL), otlp.WithResource(testResource))
	require.NoError(t, tr.spans.ExportSpans(t.Context(), spans(1)))
	require.NoError(t, tr.metrics.ForceFlush(t.Context()))
	slog.New(tr.logs.Handler()).Info("hello")
	require.NoError(t, tr.logs.ForceFlush(t.Context()))

	bodies := srv.bodies()
	require.Len(t, bodies, 3)
	var traces coltracepb.ExportTraceServiceRequest
	var metrics colmetricspb.ExportMetricsServiceRequest
	var logs collogspb.ExportLogsServiceRequest
	require.NoError(t, proto.Unmarshal(bodies[0], &traces))
	require.NoError(t, proto.Unmarshal(bodies[1], &metrics))
	require.NoError(t, proto.Unmarshal(bodies[2], &logs))
	want := traces.GetResourceSpans()[0].GetResource()
	require.Equal(t, map[string]any{"service.name": "hello"}, otlptest.Attributes(want.GetAttributes()))
	require.True(t, proto.Equal(want, metrics.GetResourceMetrics()[0].GetResource()))
	require.True(t, proto.Equal(want, logs.GetResourceLogs()[0].GetResource()))
}
