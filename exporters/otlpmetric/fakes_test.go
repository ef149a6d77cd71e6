package otlpmetric_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/internal/otlptest"
)

// fakeCollector is an httptest OTLP/HTTP metrics endpoint that decodes
// every request and answers with status.
type fakeCollector struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []*collectorpb.ExportMetricsServiceRequest
	status int
	calls  int
}

func newFakeCollector(t testing.TB, status int) *fakeCollector {
	f := &fakeCollector{status: status}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCollector) serve(w http.ResponseWriter, r *http.Request) {
	raw, err := otlptest.ReadBody(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := &collectorpb.ExportMetricsServiceRequest{}
	if err := proto.Unmarshal(raw, req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls++
	status := f.status
	if status == http.StatusOK {
		f.reqs = append(f.reqs, req)
	}
	f.mu.Unlock()
	if status != http.StatusOK {
		w.WriteHeader(status)
		return
	}
	resp, _ := proto.Marshal(&collectorpb.ExportMetricsServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(resp)
}

func (f *fakeCollector) Requests() []*collectorpb.ExportMetricsServiceRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*collectorpb.ExportMetricsServiceRequest(nil), f.reqs...)
}

func (f *fakeCollector) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// summary flattens a request: resource attributes and, per metric name and
// data point attributes, the value (sum, gauge) or count (histograms).
type summary struct {
	Resource map[string]string
	Values   map[string]float64
}

func summarize(t testing.TB, reqs ...*collectorpb.ExportMetricsServiceRequest) summary {
	s := summary{Resource: map[string]string{}, Values: map[string]float64{}}
	for _, req := range reqs {
		for _, rm := range req.GetResourceMetrics() {
			for _, kv := range rm.GetResource().GetAttributes() {
				v := kv.GetValue()
				switch {
				case v.GetStringValue() != "":
					s.Resource[kv.GetKey()] = v.GetStringValue()
				default:
					s.Resource[kv.GetKey()] = v.String()
				}
			}
			for _, sm := range rm.GetScopeMetrics() {
				for _, m := range sm.GetMetrics() {
					key := func(attrs []*commonpb.KeyValue) string {
						k := m.GetName()
						for _, a := range attrs {
							k += "," + a.GetKey() + "=" + a.GetValue().GetStringValue()
						}
						return k
					}
					switch d := m.GetData().(type) {
					case *metricspb.Metric_Sum:
						require.True(t, d.Sum.GetIsMonotonic(), m.GetName())
						require.Equal(t, metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE, d.Sum.GetAggregationTemporality())
						for _, p := range d.Sum.GetDataPoints() {
							s.Values[key(p.GetAttributes())] += p.GetAsDouble()
						}
					case *metricspb.Metric_Gauge:
						for _, p := range d.Gauge.GetDataPoints() {
							s.Values[key(p.GetAttributes())] += p.GetAsDouble()
						}
					case *metricspb.Metric_Histogram:
						for _, p := range d.Histogram.GetDataPoints() {
							s.Values[key(p.GetAttributes())+",count"] += float64(p.GetCount())
							s.Values[key(p.GetAttributes())+",sum"] += p.GetSum()
						}
					case *metricspb.Metric_ExponentialHistogram:
						for _, p := range d.ExponentialHistogram.GetDataPoints() {
							s.Values[key(p.GetAttributes())+",count"] += float64(p.GetCount())
						}
					}
				}
			}
		}
	}
	return s
}

// lambdaEnv clears the variables the exporter reads and sets kv.
func lambdaEnv(t testing.TB, kv map[string]string) {
	for _, name := range []string{
		"LUMEN_METRICS_INSTANCE", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
		"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
		"AWS_REGION", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SERVICE_NAME",
		"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS",
		"OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION",
		"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
	} {
		t.Setenv(name, kv[name])
	}
}

// otlpmetrichttpEndpoint points the default exporter at base/v1/metrics.
func otlpmetrichttpEndpoint(base string) otlpmetrichttp.Option {
	return otlpmetrichttp.WithEndpointURL(base + "/v1/metrics")
}
