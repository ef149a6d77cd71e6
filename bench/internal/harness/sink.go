package harness

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
)

// Sink is a loopback OTLP/HTTP endpoint that accepts every export and
// discards it, and a loopback UDP socket in place of the X-Ray daemon. It
// counts requests, datagrams and bytes, and what they carry: spans (and
// Lumen's invocations among them, by their lumen.handle phase span), log
// records, and the faas.invocations total of the last metrics export, so
// that a run can check that every invocation's telemetry arrived.
type Sink struct {
	srv                   *httptest.Server
	udp                   net.PacketConn
	udpDone               sync.WaitGroup
	traces, metrics, logs atomic.Int64
	other, bytes          atomic.Int64
	datagrams             atomic.Int64
	spans, handleSpans    atomic.Int64
	xrayHandles           atomic.Int64
	logRecords            atomic.Int64
	invocationsTotal      atomic.Int64
}

// SinkCounts are what a [Sink] took: requests per signal, X-Ray datagrams,
// and their contents.
type SinkCounts struct {
	Traces, Metrics, Logs, Other, Bytes int64
	Datagrams                           int64
	// Spans are the OTLP spans; HandleSpans the lumen.handle spans among
	// them (one per invocation Lumen traced); XRayHandles the lumen.handle
	// segments in the X-Ray datagrams.
	Spans, HandleSpans, XRayHandles int64
	// LogRecords are the OTLP log records.
	LogRecords int64
	// InvocationsTotal is the sum of the faas.invocations data points of
	// the last OTLP metrics request: a cumulative count, not a difference.
	InvocationsTotal int64
}

// Sub returns c minus o; InvocationsTotal, a cumulative value, is c's.
func (c SinkCounts) Sub(o SinkCounts) SinkCounts {
	return SinkCounts{
		Traces: c.Traces - o.Traces, Metrics: c.Metrics - o.Metrics, Logs: c.Logs - o.Logs, Other: c.Other - o.Other,
		Bytes: c.Bytes - o.Bytes, Datagrams: c.Datagrams - o.Datagrams,
		Spans: c.Spans - o.Spans, HandleSpans: c.HandleSpans - o.HandleSpans, XRayHandles: c.XRayHandles - o.XRayHandles,
		LogRecords: c.LogRecords - o.LogRecords, InvocationsTotal: c.InvocationsTotal,
	}
}

// Requests is the number of OTLP requests.
func (c SinkCounts) Requests() int64 { return c.Traces + c.Metrics + c.Logs + c.Other }

// NewSink starts a sink on 127.0.0.1. It panics if it cannot listen, as
// httptest.NewServer does.
func NewSink() *Sink {
	s := &Sink{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		s.srv.Close()
		panic("harness: X-Ray sink: " + err.Error())
	}
	if c, ok := udp.(*net.UDPConn); ok {
		// A flush that sends many invocations' segments at once (a
		// deferred strategy, the final flush) is a burst of datagrams:
		// room for it, so that the count is the exporter's, not the
		// socket's.
		_ = c.SetReadBuffer(4 << 20)
	}
	s.udp = udp
	s.udpDone.Go(s.readDatagrams)
	return s
}

// handleName is the name of the span Lumen's runtime makes for each
// invocation's handler.
var handleName = []byte(`"name":"lumen.handle"`)

// readDatagrams counts datagrams until the socket is closed.
func (s *Sink) readDatagrams() {
	buf := make([]byte, 64<<10)
	for {
		n, _, err := s.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		s.datagrams.Add(1)
		s.bytes.Add(int64(n))
		s.xrayHandles.Add(int64(bytes.Count(buf[:n], handleName)))
	}
}

// XRayAddress is the address for AWS_XRAY_DAEMON_ADDRESS.
func (s *Sink) XRayAddress() string { return s.udp.LocalAddr().String() }

func (s *Sink) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.bytes.Add(int64(len(body)))
	switch r.URL.Path {
	case "/v1/traces":
		s.traces.Add(1)
		spans, handles := countSpans(body)
		s.spans.Add(spans)
		s.handleSpans.Add(handles)
	case "/v1/metrics":
		s.metrics.Add(1)
		if n, ok := invocationsTotal(body); ok {
			s.invocationsTotal.Store(n)
		}
	case "/v1/logs":
		s.logs.Add(1)
		s.logRecords.Add(countLogRecords(body))
	default:
		s.other.Add(1)
	}
	// An empty body is a valid, empty Export*ServiceResponse: full success.
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

// resetInvocations forgets the faas.invocations total of the previous
// process.
func (s *Sink) resetInvocations() { s.invocationsTotal.Store(-1) }

// Endpoint is the base URL for OTEL_EXPORTER_OTLP_ENDPOINT.
func (s *Sink) Endpoint() string { return s.srv.URL }

// Counts returns what the sink took so far.
func (s *Sink) Counts() SinkCounts {
	return SinkCounts{
		Traces: s.traces.Load(), Metrics: s.metrics.Load(), Logs: s.logs.Load(), Other: s.other.Load(),
		Bytes: s.bytes.Load(), Datagrams: s.datagrams.Load(),
		Spans: s.spans.Load(), HandleSpans: s.handleSpans.Load(), XRayHandles: s.xrayHandles.Load(),
		LogRecords: s.logRecords.Load(), InvocationsTotal: s.invocationsTotal.Load(),
	}
}

// Close stops the sink.
func (s *Sink) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
	_ = s.udp.Close()
	s.udpDone.Wait()
}
