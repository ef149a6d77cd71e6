package collector

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/internal/otlptest"
)

// Sink is an OTLP/HTTP receiver (protobuf encoding, optional gzip) that
// keeps every request it accepts. It is safe for concurrent use.
type Sink struct {
	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every accepted request
	status  int
	traces  []*coltracepb.ExportTraceServiceRequest
	metrics []*colmetricspb.ExportMetricsServiceRequest
	logs    []*collogspb.ExportLogsServiceRequest
	bad     []error
}

// NewSink starts a sink on 127.0.0.1 and closes it when the test ends.
func NewSink(t testing.TB) *Sink {
	t.Helper()
	s := &Sink{changed: make(chan struct{}), status: http.StatusOK}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", s.handle(func(b []byte) (proto.Message, error) {
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		s.traces = append(s.traces, &req)
		return &coltracepb.ExportTraceServiceResponse{}, nil
	}))
	mux.HandleFunc("POST /v1/metrics", s.handle(func(b []byte) (proto.Message, error) {
		var req colmetricspb.ExportMetricsServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		s.metrics = append(s.metrics, &req)
		return &colmetricspb.ExportMetricsServiceResponse{}, nil
	}))
	mux.HandleFunc("POST /v1/logs", s.handle(func(b []byte) (proto.Message, error) {
		var req collogspb.ExportLogsServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		s.logs = append(s.logs, &req)
		return &collogspb.ExportLogsServiceResponse{}, nil
	}))
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the sink's base URL (http://127.0.0.1:port); requests go to
// /v1/traces, /v1/metrics and /v1/logs under it.
func (s *Sink) URL() string { return s.srv.URL }

// SetStatus makes the sink answer every later request with code without
// recording it (any code other than 200), or accept again (200).
func (s *Sink) SetStatus(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = code
}

// Errors returns the decoding errors of requests the sink rejected.
func (s *Sink) Errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.bad...)
}

func (s *Sink) handle(decode func([]byte) (proto.Message, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := otlptest.ReadBody(r)
		if err != nil {
			s.reject(w, err)
			return
		}
		s.mu.Lock()
		if s.status != http.StatusOK {
			code := s.status
			s.mu.Unlock()
			http.Error(w, "sink refuses", code)
			return
		}
		resp, err := decode(b)
		if err == nil {
			close(s.changed)
			s.changed = make(chan struct{})
		}
		s.mu.Unlock()
		if err != nil {
			s.reject(w, fmt.Errorf("%s: %w", r.URL.Path, err))
			return
		}
		out, _ := proto.Marshal(resp)
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}
}

func (s *Sink) reject(w http.ResponseWriter, err error) {
	s.mu.Lock()
	s.bad = append(s.bad, err)
	s.mu.Unlock()
	http.Error(w, err.Error(), http.StatusBadRequest)
}

// TraceRequests returns the trace export requests received so far.
func (s *Sink) TraceRequests() []*coltracepb.ExportTraceServiceRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*coltracepb.ExportTraceServiceRequest(nil), s.traces...)
}

// Spans returns every span received so far, flattened, in arrival order.
func (s *Sink) Spans() []*tracepb.Span {
	var out []*tracepb.Span
	for _, req := range s.TraceRequests() {
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				out = append(out, ss.GetSpans()...)
			}
		}
	}
	return out
}

// Metrics returns every metric received so far, flattened.
func (s *Sink) Metrics() []*metricspb.Metric {
	s.mu.Lock()
	reqs := append([]*colmetricspb.ExportMetricsServiceRequest(nil), s.metrics...)
	s.mu.Unlock()
	var out []*metricspb.Metric
	for _, req := range reqs {
		for _, rm := range req.GetResourceMetrics() {
			for _, sm := range rm.GetScopeMetrics() {
				out = append(out, sm.GetMetrics()...)
			}
		}
	}
	return out
}

// LogRecords returns every log record received so far, flattened.
func (s *Sink) LogRecords() []*logspb.LogRecord {
	s.mu.Lock()
	reqs := append([]*collogspb.ExportLogsServiceRequest(nil), s.logs...)
	s.mu.Unlock()
	var out []*logspb.LogRecord
	for _, req := range reqs {
		for _, rl := range req.GetResourceLogs() {
			for _, sl := range rl.GetScopeLogs() {
				out = append(out, sl.GetLogRecords()...)
			}
		}
	}
	return out
}

// Resources returns the resource of every resource entry received so far,
// by signal ("traces", "metrics", "logs"), in arrival order.
func (s *Sink) Resources() map[string][]*resourcepb.Resource {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]*resourcepb.Resource{}
	for _, req := range s.traces {
		for _, r := range req.GetResourceSpans() {
			out["traces"] = append(out["traces"], r.GetResource())
		}
	}
	for _, req := range s.metrics {
		for _, r := range req.GetResourceMetrics() {
			out["metrics"] = append(out["metrics"], r.GetResource())
		}
	}
	for _, req := range s.logs {
		for _, r := range req.GetResourceLogs() {
			out["logs"] = append(out["logs"], r.GetResource())
		}
	}
	return out
}

// WaitSpans waits until at least n spans have arrived, or ctx ends, and
// returns the spans received.
func (s *Sink) WaitSpans(ctx context.Context, n int) ([]*tracepb.Span, error) {
	return waitN(ctx, s, n, s.Spans, "spans")
}

// WaitMetrics waits until at least n metrics have arrived, or ctx ends.
func (s *Sink) WaitMetrics(ctx context.Context, n int) ([]*metricspb.Metric, error) {
	return waitN(ctx, s, n, s.Metrics, "metrics")
}

// WaitLogRecords waits until at least n log records have arrived, or ctx
// ends.
func (s *Sink) WaitLogRecords(ctx context.Context, n int) ([]*logspb.LogRecord, error) {
	return waitN(ctx, s, n, s.LogRecords, "log records")
}

func waitN[T any](ctx context.Context, s *Sink, n int, get func() []T, what string) ([]T, error) {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if got := get(); len(got) >= n {
			return got, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			got := get()
			return got, fmt.Errorf("collector: %d of %d %s arrived: %w", len(got), n, what, ctx.Err())
		}
	}
}
