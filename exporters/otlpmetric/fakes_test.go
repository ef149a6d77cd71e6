package otlpmetric_test

import (
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"
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
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
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

// blackhole accepts requests and never answers until the request's context
// or the test ends.
type blackhole struct {
	*httptest.Server
	Arrived chan struct{}
}

func newBlackhole(t *testing.T) *blackhole {
	stop := make(chan struct{})
	b := &blackhole{Arrived: make(chan struct{}, 16)}
	b.Server = httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b.Arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop); b.Close() })
	return b
}

// closedURL returns a URL on a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

// dropCounter records drops.
type dropCounter struct {
	mu    sync.Mutex
	items map[string]int
	calls int
}

func (d *dropCounter) Dropped(exporter, signal string, items int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.items == nil {
		d.items = map[string]int{}
	}
	d.items[exporter+"/"+signal] += items
	d.calls++
}

func (d *dropCounter) Get() (map[string]int, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.items, d.calls
}

// testRegistry: invocations by result (2 points), a classic histogram (1
// point) and a gauge (1 point): 4 data points.
type testRegistry struct {
	*prometheus.Registry
	invocations *prometheus.CounterVec
	duration    prometheus.Histogram
	memory      prometheus.Gauge
}

const testRegistryPoints = 4

func newTestRegistry() *testRegistry {
	r := &testRegistry{
		Registry: prometheus.NewRegistry(),
		invocations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lumen_test_invocations_total", Help: "Invocations by result.",
		}, []string{"result"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "lumen_test_duration_seconds", Help: "Handler duration.", Buckets: []float64{0.01, 0.1, 1},
		}),
		memory: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lumen_test_memory_bytes", Help: "Memory in use."}),
	}
	r.MustRegister(r.invocations, r.duration, r.memory)
	r.invocations.WithLabelValues("success")
	r.invocations.WithLabelValues("error")
	return r
}

// invoke records n invocations, every errEvery-th an error (0: none).
func (r *testRegistry) invoke(n, errEvery int) {
	for i := 1; i <= n; i++ {
		result := "success"
		if errEvery > 0 && i%errEvery == 0 {
			result = "error"
		}
		r.invocations.WithLabelValues(result).Inc()
		r.duration.Observe(float64(i%3) * 0.05)
	}
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
	} {
		t.Setenv(name, kv[name])
	}
}

// otlpmetrichttpEndpoint points the default exporter at base/v1/metrics.
func otlpmetrichttpEndpoint(base string) otlpmetrichttp.Option {
	return otlpmetrichttp.WithEndpointURL(base + "/v1/metrics")
}
