package platform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/platform"
)

// readBatch returns a file of testdata.
func readBatch(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

// sink records what a Platform hands it.
type sink struct {
	mu       sync.Mutex
	reports  []platform.Report
	dones    []platform.RuntimeDone
	inits    []platform.InitReport
	restores []platform.RestoreReport
}

func (s *sink) RecordReport(r platform.Report) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reports = append(s.reports, r)
}

func (s *sink) RecordRuntimeDone(r platform.RuntimeDone) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dones = append(s.dones, r)
}

func (s *sink) RecordInitReport(r platform.InitReport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inits = append(s.inits, r)
}

func (s *sink) RecordRestoreReport(r platform.RestoreReport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restores = append(s.restores, r)
}

func (s *sink) Reports() []platform.Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]platform.Report(nil), s.reports...)
}

var _ platform.MetricsSink = (*sink)(nil)

// drops records what a Platform counts as dropped, by signal.
type drops struct {
	mu sync.Mutex
	n  map[string]int
}

func (d *drops) Dropped(exporter, signal string, items int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.n == nil {
		d.n = map[string]int{}
	}
	d.n[exporter+"/"+signal] += items
}

func (d *drops) get(key string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n[key]
}

// errs records the errors handed to the error handler.
type errs struct {
	mu   sync.Mutex
	list []error
}

func (e *errs) handle(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, err)
}

func (e *errs) all() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]error(nil), e.list...)
}

// tracing is an SDK tracer provider recording every span in memory.
type tracing struct {
	tp  *sdktrace.TracerProvider
	exp *tracetest.InMemoryExporter
}

func newTracing(t testing.TB) *tracing {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return &tracing{tp: tp, exp: exp}
}

// invocation starts and ends an invocation span, as the runtime would, and
// returns its span context.
func (tr *tracing) invocation() trace.SpanContext {
	_, span := tr.tp.Tracer("runtime").Start(context.Background(), "invocation", trace.WithSpanKind(trace.SpanKindServer))
	span.End()
	return span.SpanContext()
}

// spans returns the recorded spans named name.
func (tr *tracing) spans(name string) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for _, s := range tr.exp.GetSpans() {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// childrenOf returns the recorded spans whose parent is sc.
func (tr *tracing) childrenOf(sc trace.SpanContext) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for _, s := range tr.exp.GetSpans() {
		if s.Parent.SpanID() == sc.SpanID() && s.Parent.TraceID() == sc.TraceID() {
			out = append(out, s)
		}
	}
	return out
}

// telemetryAPI is a fake Telemetry API: it answers subscriptions with
// status and body, records them, and delivers batches to the subscribed
// destination the way the Runtime Interface Emulator does, at 127.0.0.1.
type telemetryAPI struct {
	t      testing.TB
	srv    *httptest.Server
	status int
	body   string

	mu   sync.Mutex
	subs []subscriptionRequest
}

// subscriptionRequest is a subscription as the fake received it.
type subscriptionRequest struct {
	ExtensionID string
	Path        string
	Body        struct {
		SchemaVersion string   `json:"schemaVersion"`
		Types         []string `json:"types"`
		Buffering     struct {
			MaxItems  int `json:"maxItems"`
			MaxBytes  int `json:"maxBytes"`
			TimeoutMs int `json:"timeoutMs"`
		} `json:"buffering"`
		Destination struct {
			Protocol string `json:"protocol"`
			URI      string `json:"URI"`
		} `json:"destination"`
	}
}

func newTelemetryAPI(t testing.TB, status int, body string) *telemetryAPI {
	api := &telemetryAPI{t: t, status: status, body: body}
	api.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var sub subscriptionRequest
		sub.ExtensionID = r.Header.Get("Lambda-Extension-Identifier")
		sub.Path = r.Method + " " + r.URL.Path
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &sub.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		api.mu.Lock()
		api.subs = append(api.subs, sub)
		api.mu.Unlock()
		w.WriteHeader(api.status)
		_, _ = io.WriteString(w, api.body)
	}))
	t.Cleanup(api.srv.Close)
	return api
}

// addr is the fake's host:port, as AWS_LAMBDA_RUNTIME_API holds it.
func (api *telemetryAPI) addr() string { return strings.TrimPrefix(api.srv.URL, "http://") }

func (api *telemetryAPI) subscriptions() []subscriptionRequest {
	api.mu.Lock()
	defer api.mu.Unlock()
	return append([]subscriptionRequest(nil), api.subs...)
}

// deliver POSTs body to the last subscription's destination, with its
// host replaced by 127.0.0.1, and returns the answer's status.
func (api *telemetryAPI) deliver(body []byte) int {
	api.t.Helper()
	subs := api.subscriptions()
	require.NotEmpty(api.t, subs)
	u, err := url.Parse(subs[len(subs)-1].Body.Destination.URI)
	require.NoError(api.t, err)
	u.Host = "127.0.0.1:" + u.Port()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	require.NoError(api.t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(api.t, err)
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// subscribed returns a Platform subscribed to a fake Telemetry API that
// accepts, listening on 127.0.0.1, shut down when t ends.
func subscribed(t testing.TB, opts ...platform.Option) (*platform.Platform, *telemetryAPI) {
	t.Helper()
	api := newTelemetryAPI(t, http.StatusOK, `"OK"`)
	p := platform.New(append([]platform.Option{platform.WithListenAddress("127.0.0.1:0")}, opts...)...)
	require.NoError(t, p.Subscribe(t.Context(), api.addr(), "ext-id", nil))
	t.Cleanup(func() {
		// Not waiting for reports the test never sends.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = p.Shutdown(ctx)
	})
	return p, api
}

// report is a platform.report batch for one invocation.
func report(requestID, status string, durationMs float64, at time.Time) []byte {
	return []byte(`[{"time":"` + at.UTC().Format(time.RFC3339Nano) + `","type":"platform.report","record":{"requestId":"` +
		requestID + `","status":"` + status + `","metrics":{"durationMs":` + jsonNumber(durationMs) +
		`,"billedDurationMs":100,"memorySizeMB":128,"maxMemoryUsedMB":64}}}]`)
}

func jsonNumber(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
