package harness

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
)

// Sink is a loopback OTLP/HTTP endpoint that accepts every export and
// discards it, counting requests and bytes per signal, and a loopback UDP
// socket in place of the X-Ray daemon, counting the datagrams (segment
// documents) it receives.
type Sink struct {
	srv                   *httptest.Server
	udp                   net.PacketConn
	udpDone               sync.WaitGroup
	traces, metrics, logs atomic.Int64
	other, bytes          atomic.Int64
	datagrams             atomic.Int64
}

// SinkCounts are the requests a [Sink] took, per signal, and the X-Ray
// datagrams.
type SinkCounts struct {
	Traces, Metrics, Logs, Other, Bytes int64
	Datagrams                           int64
}

// Sub returns c minus o.
func (c SinkCounts) Sub(o SinkCounts) SinkCounts {
	return SinkCounts{c.Traces - o.Traces, c.Metrics - o.Metrics, c.Logs - o.Logs, c.Other - o.Other, c.Bytes - o.Bytes,
		c.Datagrams - o.Datagrams}
}

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
	s.udp = udp
	s.udpDone.Go(s.readDatagrams)
	return s
}

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
	}
}

// XRayAddress is the address for AWS_XRAY_DAEMON_ADDRESS.
func (s *Sink) XRayAddress() string { return s.udp.LocalAddr().String() }

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
	return SinkCounts{s.traces.Load(), s.metrics.Load(), s.logs.Load(), s.other.Load(), s.bytes.Load(), s.datagrams.Load()}
}

// Close stops the sink.
func (s *Sink) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
	_ = s.udp.Close()
	s.udpDone.Wait()
}
