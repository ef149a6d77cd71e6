package harness

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
)

// Sink is a loopback OTLP/HTTP endpoint that accepts every export and
// discards it, counting requests and bytes per signal.
type Sink struct {
	srv                   *httptest.Server
	traces, metrics, logs atomic.Int64
	other, bytes          atomic.Int64
}

// SinkCounts are the requests a [Sink] took, per signal.
type SinkCounts struct {
	Traces, Metrics, Logs, Other, Bytes int64
}

// Sub returns c minus o.
func (c SinkCounts) Sub(o SinkCounts) SinkCounts {
	return SinkCounts{c.Traces - o.Traces, c.Metrics - o.Metrics, c.Logs - o.Logs, c.Other - o.Other, c.Bytes - o.Bytes}
}

// NewSink starts a sink on 127.0.0.1.
func NewSink() *Sink {
	s := &Sink{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func (s *Sink) serve(w http.ResponseWriter, r *http.Request) {
	n, _ := io.Copy(io.Discard, r.Body)
	s.bytes.Add(n)
	switch r.URL.Path {
	case "/v1/traces":
		s.traces.Add(1)
	case "/v1/metrics":
		s.metrics.Add(1)
	case "/v1/logs":
		s.logs.Add(1)
	default:
		s.other.Add(1)
	}
	// An empty body is a valid, empty Export*ServiceResponse: full success.
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

// Endpoint is the base URL for OTEL_EXPORTER_OTLP_ENDPOINT.
func (s *Sink) Endpoint() string { return s.srv.URL }

// Counts returns the requests taken so far.
func (s *Sink) Counts() SinkCounts {
	return SinkCounts{s.traces.Load(), s.metrics.Load(), s.logs.Load(), s.other.Load(), s.bytes.Load()}
}

// Close stops the sink.
func (s *Sink) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}
