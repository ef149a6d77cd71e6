package harness

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
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
	// markers sent to the UDP socket by Counts, and the last one read;
	// marked is closed (and replaced) when the reader reads one.
	markersSent, markerRead atomic.Int64
	markMu                  sync.Mutex
	marked                  chan struct{}
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
	s := &Sink{marked: make(chan struct{})}
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

// markerPrefix starts the datagrams Counts sends to the sink's own UDP
// socket; they are not counted.
var markerPrefix = []byte("lumen-harness-marker ")

// readDatagrams counts datagrams until the socket is closed.
func (s *Sink) readDatagrams() {
	buf := make([]byte, 64<<10)
	for {
		n, _, err := s.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		if seq, ok := bytes.CutPrefix(buf[:n], markerPrefix); ok {
			if v, err := strconv.ParseInt(string(seq), 10, 64); err == nil {
				s.markerRead.Store(v)
				s.markMu.Lock()
				close(s.marked)
				s.marked = make(chan struct{})
				s.markMu.Unlock()
			}
			continue
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

// Counts returns what the sink took so far. The datagrams sent before the
// call are counted: UDP delivers them to the socket's queue, which the
// sink reads on a goroutine of its own, so Counts first sends a marker
// datagram behind them and waits, within markerWait, until the reader gets
// to it (the queue is read in order). OTLP requests are counted before
// they are answered.
func (s *Sink) Counts() SinkCounts {
	s.settle()
	return SinkCounts{
		Traces: s.traces.Load(), Metrics: s.metrics.Load(), Logs: s.logs.Load(), Other: s.other.Load(),
		Bytes: s.bytes.Load(), Datagrams: s.datagrams.Load(),
		Spans: s.spans.Load(), HandleSpans: s.handleSpans.Load(), XRayHandles: s.xrayHandles.Load(),
		LogRecords: s.logRecords.Load(), InvocationsTotal: s.invocationsTotal.Load(),
	}
}

// markerWait bounds how long Counts waits for the datagrams already sent.
const markerWait = 10 * time.Second

// settle sends a marker datagram to the sink's UDP socket and waits until
// the reader took it, and so every datagram queued before it.
func (s *Sink) settle() {
	seq := s.markersSent.Add(1)
	conn, err := net.Dial("udp", s.udp.LocalAddr().String())
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.Write(fmt.Appendf(bytes.Clone(markerPrefix), "%d", seq)); err != nil {
		return
	}
	timer := time.NewTimer(markerWait)
	defer timer.Stop()
	for {
		s.markMu.Lock()
		marked := s.marked
		s.markMu.Unlock()
		if s.markerRead.Load() >= seq {
			return
		}
		select {
		case <-marked:
		case <-timer.C:
			return
		}
	}
}

// Close stops the sink.
func (s *Sink) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
	_ = s.udp.Close()
	s.udpDone.Wait()
}
