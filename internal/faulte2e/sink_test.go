package faulte2e_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// countingSink is an OTLP/HTTP receiver that counts what it gets and keeps
// nothing, so that a soak's hundreds of thousands of items cost it no
// memory.
type countingSink struct {
	srv                                *httptest.Server
	spans, workSpans, records, workLog atomic.Int64
	invocations                        atomic.Int64 // the highest faas.invocations total
	bad                                atomic.Int64
}

func newCountingSink(t *testing.T) *countingSink {
	t.Helper()
	s := &countingSink{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", s.handle(func(b []byte) error {
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return err
		}
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					s.spans.Add(1)
					if sp.GetName() == "faulte2e.work" {
						s.workSpans.Add(1)
					}
				}
			}
		}
		return nil
	}))
	mux.HandleFunc("POST /v1/logs", s.handle(func(b []byte) error {
		var req collogspb.ExportLogsServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return err
		}
		for _, rl := range req.GetResourceLogs() {
			for _, sl := range rl.GetScopeLogs() {
				for _, r := range sl.GetLogRecords() {
					s.records.Add(1)
					if r.GetBody().GetStringValue() == "faulte2e work" {
						s.workLog.Add(1)
					}
				}
			}
		}
		return nil
	}))
	mux.HandleFunc("POST /v1/metrics", s.handle(func(b []byte) error {
		var req colmetricspb.ExportMetricsServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return err
		}
		for _, rm := range req.GetResourceMetrics() {
			for _, sm := range rm.GetScopeMetrics() {
				for _, m := range sm.GetMetrics() {
					if m.GetName() != "faas.invocations" {
						continue
					}
					var total int64
					for _, p := range m.GetSum().GetDataPoints() {
						total += int64(p.GetAsDouble()) + p.GetAsInt()
					}
					for {
						old := s.invocations.Load()
						if total <= old || s.invocations.CompareAndSwap(old, total) {
							break
						}
					}
				}
			}
		}
		return nil
	}))
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *countingSink) handle(count func([]byte) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := otlptest.ReadBody(r)
		if err == nil {
			err = count(b)
		}
		if err != nil {
			s.bad.Add(1)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}
}

// startCountingCollector runs the real Collector (OTLP/HTTP in, batched,
// OTLP/HTTP out) in front of a counting sink, and returns its endpoint.
func startCountingCollector(t *testing.T) (string, *countingSink) {
	t.Helper()
	sink := newCountingSink(t) // started first, so stopped after the collector
	return collector.Forward(t, sink.srv.URL).OTLPHTTPEndpoint(), sink
}
