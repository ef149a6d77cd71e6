package pushgateway_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
)

// request is what the fake gateway received.
type request struct {
	Method, Path string
	Header       http.Header
	Families     map[string]*dto.MetricFamily
}

// fakeGateway is an httptest Pushgateway that records requests and answers
// with status.
type fakeGateway struct {
	*httptest.Server
	mu       sync.Mutex
	requests []request
	status   int
	inFlight int
	maxIn    int
}

func newFakeGateway(t *testing.T, status int) *fakeGateway {
	f := &fakeGateway{status: status}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGateway) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.inFlight++
	f.maxIn = max(f.maxIn, f.inFlight)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inFlight--; f.mu.Unlock() }()

	rec := request{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Families: map[string]*dto.MetricFamily{}}
	dec := expfmt.NewDecoder(r.Body, expfmt.NewFormat(expfmt.TypeProtoDelim))
	for {
		mf := &dto.MetricFamily{}
		if err := dec.Decode(mf); err != nil {
			if !errors.Is(err, io.EOF) {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			break
		}
		rec.Families[mf.GetName()] = mf
	}
	f.mu.Lock()
	f.requests = append(f.requests, rec)
	f.mu.Unlock()
	if r.Method == http.MethodDelete && f.status == http.StatusOK {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.WriteHeader(f.status)
}

func (f *fakeGateway) Requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

// blackhole is an httptest server that accepts requests and never answers
// until the request's context ends or the test ends. Arrived receives one
// value per request that reached the handler.
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

// closedURL returns the URL of a loopback port nothing listens on.
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

var _ exporters.DropCounter = (*dropCounter)(nil)

// testRegistry is a small registry shaped like a function's metrics:
// invocations by result, a duration histogram with 3 buckets (+Inf, _sum,
// _count: 6 series) and a gauge; 9 series in all.
type testRegistry struct {
	*prometheus.Registry
	invocations *prometheus.CounterVec
	duration    prometheus.Histogram
	memory      prometheus.Gauge
}

const testRegistrySeries = 2 + 6 + 1

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
func lambdaEnv(t *testing.T, kv map[string]string) {
	for _, name := range []string{
		"LUMEN_PUSHGATEWAY_URL", "LUMEN_PUSHGATEWAY_JOB", "LUMEN_METRICS_INSTANCE", "LUMEN_PUSHGATEWAY_GROUPING",
		"LUMEN_PUSHGATEWAY_USERNAME", "LUMEN_PUSHGATEWAY_PASSWORD", "LUMEN_PUSHGATEWAY_BEARER_TOKEN",
		"LUMEN_PUSHGATEWAY_HEADERS", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
		"AWS_LAMBDA_INITIALIZATION_TYPE",
	} {
		t.Setenv(name, kv[name])
	}
}
