package otlp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// testResource is the one resource of a test's exporters.
var testResource = resource.NewSchemaless(attribute.String("service.name", "hello"))

// spans returns n sampled spans of one trace with testResource.
func spans(n int) []sdktrace.ReadOnlySpan {
	stubs := make(tracetest.SpanStubs, n)
	for i := range stubs {
		stubs[i] = tracetest.SpanStub{
			Name: "work", Resource: testResource, StartTime: time.Unix(1, 0), EndTime: time.Unix(2, 0),
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
				TraceID: trace.TraceID{1}, SpanID: trace.SpanID{byte(i + 1)}, TraceFlags: trace.FlagsSampled,
			}),
		}
	}
	return stubs.Snapshots()
}

// source is a SeriesSource with a counter, a gauge and a histogram: three
// data points. It is safe for concurrent use.
type source struct {
	mu     sync.Mutex
	series []exporters.Series
	cur    exporters.Series
}

func newSource() *source {
	return &source{series: []exporters.Series{
		{ID: 0, Name: "faas_invocations_total", OTelName: "faas.invocations", Kind: exporters.KindCounter,
			Labels: []exporters.Label{{Name: "faas_trigger", Key: "faas.trigger", Value: "http"}}, Start: time.Unix(1, 0), Value: 1},
		{ID: 1, Name: "faas_mem_usage_bytes", OTelName: "faas.mem_usage", Kind: exporters.KindGauge, Value: 42},
		{ID: 2, Name: "faas_invoke_duration_seconds", OTelName: "faas.invoke_duration", Unit: "s", Kind: exporters.KindHistogram,
			Start: time.Unix(1, 0), Count: 1, Sum: 0.5, Bounds: []float64{1}, Counts: []uint64{1, 0}},
	}}
}

// sourcePoints is the number of data points of newSource.
const sourcePoints = 3

func (s *source) Visit(visit func(*exporters.Series)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.series {
		s.cur = s.series[i]
		visit(&s.cur)
	}
}

// add adds d to the counter.
func (s *source) add(d float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.series[0].Value += d
}

// answer is what a scripted receiver answers.
type answer struct {
	status      int
	header      map[string]string
	contentType string
	body        []byte
	// early answers without reading the request's body.
	early bool
}

// scripted is an OTLP/HTTP receiver that answers every request with its
// answer and records the requests' headers. It is stopped when the test
// ends.
type scripted struct {
	*httptest.Server
	mu      sync.Mutex
	answer  answer
	headers []http.Header
	paths   []string
	body    [][]byte
}

// bodies returns the request bodies received, decompressed.
func (s *scripted) bodies() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.body...)
}

func newScripted(t *testing.T, a answer) *scripted {
	t.Helper()
	return newScriptedWith(t, a, nil)
}

// newScriptedWith is newScripted, with configure applied to the server
// before it starts.
func newScriptedWith(t *testing.T, a answer, configure func(*http.Server)) *scripted {
	t.Helper()
	s := &scripted{answer: a}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		a := s.answer
		s.mu.Unlock()
		var body []byte
		if !a.early {
			body, _ = otlptest.ReadBody(r)
		}
		s.mu.Lock()
		s.body = append(s.body, body)
		s.headers = append(s.headers, r.Header.Clone())
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		if a.contentType != "" {
			w.Header().Set("Content-Type", a.contentType)
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	if configure != nil {
		configure(s.Config)
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// requests returns the number of requests received.
func (s *scripted) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.headers)
}

// exporters builds the three exporters against endpoint, shut down when
// the test ends.
type trio struct {
	spans   *otlp.SpanExporter
	metrics *otlp.MetricExporter
	logs    *otlp.LogExporter
	src     *source
}

func newTrio(t *testing.T, opts ...otlp.Option) *trio {
	t.Helper()
	tr := &trio{src: newSource()}
	var err error
	tr.spans, err = otlp.NewSpanExporter(opts...)
	require.NoError(t, err)
	tr.metrics, err = otlp.NewMetricExporter(tr.src, opts...)
	require.NoError(t, err)
	tr.logs, err = otlp.NewLogExporter(opts...)
	require.NoError(t, err)
	t.Cleanup(func() {
		// Tests that care shut down themselves; this only stops the rest.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = tr.spans.Shutdown(ctx)
		_ = tr.metrics.Shutdown(ctx)
		_ = tr.logs.Shutdown(ctx)
	})
	return tr
}
