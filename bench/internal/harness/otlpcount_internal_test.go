package harness

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	collogs "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// The sink's counts are checked against requests the OpenTelemetry
// protobuf types encode, as any OTLP exporter sends them.
func TestCountSpans(t *testing.T) {
	spans := func(names ...string) []*tracepb.Span {
		var out []*tracepb.Span
		for _, n := range names {
			out = append(out, &tracepb.Span{Name: n, TraceId: make([]byte, 16), SpanId: make([]byte, 8)})
		}
		return out
	}
	req := &coltrace.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{
		{Resource: &resourcepb.Resource{}, ScopeSpans: []*tracepb.ScopeSpans{
			{Spans: spans("bench", "lumen.receive", "lumen.handle", "lumen.post")},
			{Spans: spans("lumen.handle")},
		}},
		{ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans("other")}}},
	}}
	b, err := proto.Marshal(req)
	require.NoError(t, err)
	n, handles := countSpans(b)
	require.Equal(t, int64(6), n)
	require.Equal(t, int64(2), handles)

	n, handles = countSpans(b[:len(b)/2]) // truncated: counts what it can, no panic
	require.Less(t, n, int64(6))
	require.LessOrEqual(t, handles, int64(2))
}

func TestCountLogRecords(t *testing.T) {
	req := &collogs.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{
		{ScopeLogs: []*logspb.ScopeLogs{{LogRecords: []*logspb.LogRecord{{}, {SeverityText: "INFO"}}}}},
		{ScopeLogs: []*logspb.ScopeLogs{{LogRecords: []*logspb.LogRecord{{}}}, {}}},
	}}
	b, err := proto.Marshal(req)
	require.NoError(t, err)
	require.Equal(t, int64(3), countLogRecords(b))
}

func TestInvocationsTotal(t *testing.T) {
	sum := func(name string, points ...*metricspb.NumberDataPoint) *metricspb.Metric {
		return &metricspb.Metric{Name: name, Data: &metricspb.Metric_Sum{Sum: &metricspb.Sum{DataPoints: points, IsMonotonic: true}}}
	}
	asInt := func(v int64) *metricspb.NumberDataPoint {
		return &metricspb.NumberDataPoint{Value: &metricspb.NumberDataPoint_AsInt{AsInt: v}}
	}
	asDouble := func(v float64) *metricspb.NumberDataPoint {
		return &metricspb.NumberDataPoint{Value: &metricspb.NumberDataPoint_AsDouble{AsDouble: v}}
	}
	tests := []struct {
		name    string
		metrics []*metricspb.Metric
		want    int64
		ok      bool
	}{
		{name: "two triggers", metrics: []*metricspb.Metric{sum("faas.errors", asInt(7)), sum("faas.invocations", asInt(20), asDouble(3))}, want: 23, ok: true},
		{name: "absent", metrics: []*metricspb.Metric{sum("faas.errors", asInt(7))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &colmetrics.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{
				{ScopeMetrics: []*metricspb.ScopeMetrics{{Metrics: tt.metrics}}},
			}}
			b, err := proto.Marshal(req)
			require.NoError(t, err)
			got, ok := invocationsTotal(b)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestEMFInvocations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stdout")
	out := `{"level":"INFO","msg":"greeted"}
{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"faas_name":"bench","faas_invocations_total":2}
not JSON
{"_aws":{"Timestamp":2,"CloudWatchMetrics":[]},"faas_name":"bench","faas_trigger":"http","faas_invocations_total":1}
{"_aws":{"Timestamp":3,"CloudWatchMetrics":[]},"faas_name":"bench"}
`
	require.NoError(t, os.WriteFile(path, []byte(out), 0o600))
	require.Equal(t, int64(3), emfInvocations(path))
	require.Zero(t, emfInvocations(filepath.Join(t.TempDir(), "missing")))
}

func TestDeliveryComplete(t *testing.T) {
	tests := []struct {
		name     string
		d        Delivery
		complete bool
		waiting  int64
	}{
		{name: "all arrived", d: Delivery{Served: 5, Logged: 4, Exited: true,
			AtEnd:  Arrived{Spans: 4, Logs: 4, Metrics: -1},
			AtExit: Arrived{Spans: 5, Logs: 4, Metrics: -1}}, complete: true, waiting: 1},
		{name: "a span lost", d: Delivery{Served: 5, Logged: 4, Exited: true,
			AtEnd: Arrived{Spans: 2, Logs: -1, Metrics: -1}, AtExit: Arrived{Spans: 4, Logs: -1, Metrics: -1}}, waiting: 3},
		{name: "metrics short", d: Delivery{Served: 5, Logged: 4, Exited: true,
			AtEnd: Arrived{Spans: -1, Logs: -1, Metrics: 5}, AtExit: Arrived{Spans: -1, Logs: -1, Metrics: 4}}},
		{name: "killed", d: Delivery{Served: 5, Logged: 4,
			AtEnd: Arrived{Spans: 5, Logs: 4, Metrics: 5}, AtExit: Arrived{Spans: 5, Logs: 4, Metrics: 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.complete, tt.d.Complete())
			require.Equal(t, tt.waiting, tt.d.Waiting())
		})
	}
}
