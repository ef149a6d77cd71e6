package remotewrite

import (
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
)

// decodedSeries is one TimeSeries of a decoded WriteRequest.
type decodedSeries struct {
	Labels  map[string]string
	Samples []sample
}

// key renders the labels as name{a="b",...} with sorted names.
func (s decodedSeries) key() string {
	names := make([]string, 0, len(s.Labels))
	for n := range s.Labels {
		if n != "__name__" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%q", n, s.Labels[n])
	}
	return s.Labels["__name__"] + "{" + strings.Join(parts, ",") + "}"
}

// decodeWriteRequest decodes a snappy-compressed prometheus.WriteRequest,
// checking that every series' labels are sorted by name.
func decodeWriteRequest(body []byte) ([]decodedSeries, error) {
	raw, err := snappy.Decode(nil, body)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	var out []decodedSeries
	err = eachField(raw, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != fieldTimeseries || typ != protowire.BytesType {
			return fmt.Errorf("WriteRequest: unexpected field %d type %d", num, typ)
		}
		s := decodedSeries{Labels: map[string]string{}}
		var lastName string
		err := eachField(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
			switch num {
			case fieldLabels:
				var name, value string
				if err := eachField(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
					if num == fieldLabelName {
						name = string(v)
					} else {
						value = string(v)
					}
					return nil
				}); err != nil {
					return err
				}
				if name <= lastName {
					return fmt.Errorf("labels not sorted: %q after %q", name, lastName)
				}
				lastName = name
				s.Labels[name] = value
			case fieldSamples:
				var sm sample
				if err := eachField(v, func(num protowire.Number, _ protowire.Type, _ []byte, n uint64) error {
					if num == fieldSampleValue {
						sm.value = math.Float64frombits(n)
					} else {
						sm.ts = int64(n)
					}
					return nil
				}); err != nil {
					return err
				}
				s.Samples = append(s.Samples, sm)
			default:
				return fmt.Errorf("TimeSeries: unexpected field %d", num)
			}
			return nil
		})
		out = append(out, s)
		return err
	})
	return out, err
}

// eachField calls f for every field of a protobuf message: bytes fields get
// v, varint and fixed64 fields get n.
func eachField(b []byte, f func(num protowire.Number, typ protowire.Type, v []byte, n uint64) error) error {
	for len(b) > 0 {
		num, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			return protowire.ParseError(l)
		}
		b = b[l:]
		var v []byte
		var n uint64
		switch typ {
		case protowire.BytesType:
			v, l = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			n, l = protowire.ConsumeVarint(b)
		case protowire.Fixed64Type:
			n, l = protowire.ConsumeFixed64(b)
		default:
			return fmt.Errorf("unexpected wire type %d", typ)
		}
		if l < 0 {
			return protowire.ParseError(l)
		}
		b = b[l:]
		if err := f(num, typ, v, n); err != nil {
			return err
		}
	}
	return nil
}

// received is one request the fake receiver got.
type received struct {
	Header http.Header
	Series []decodedSeries
}

// fakeReceiver is an httptest remote write endpoint answering with status.
type fakeReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []received
	status int
	calls  int
}

func newFakeReceiver(t testing.TB, status int) *fakeReceiver {
	f := &fakeReceiver{status: status}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls++
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		series, err := decodeWriteRequest(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if f.status == http.StatusNoContent {
			f.reqs = append(f.reqs, received{Header: r.Header.Clone(), Series: series})
		}
		w.WriteHeader(f.status)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeReceiver) Received() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func (f *fakeReceiver) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// blackhole accepts requests and never answers until the request's context
// or the test ends. Arrived receives a value per request.
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
	return "http://" + addr + "/api/v1/write"
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

// testRegistry: invocations by result (2 series), a histogram with 3
// buckets (+Inf, _sum, _count: 6 series) and a gauge: 9 series.
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
func lambdaEnv(t testing.TB, kv map[string]string) {
	for _, name := range []string{
		EnvURL, EnvJob, EnvInstance, EnvLabels, EnvUsername, EnvPassword, EnvBearerToken, EnvHeaders,
		"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_INITIALIZATION_TYPE",
	} {
		t.Setenv(name, kv[name])
	}
}
