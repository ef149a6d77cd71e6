package xray

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// invocationStubs are one invocation's spans as the runtime makes them, in
// the order they end: lumen.receive, lumen.handle, lumen.post, then the
// invocation span, whose parent is Lambda's function segment.
func invocationStubs() tracetest.SpanStubs {
	id := func(b byte) trace.SpanContext {
		return trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: testTraceID, SpanID: trace.SpanID{0xa0, 0, 0, 0, 0, 0, 0, b}, TraceFlags: trace.FlagsSampled,
		})
	}
	lambda := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: testTraceID, SpanID: testParent, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	at := func(us int) time.Time { return testStart.Add(time.Duration(us) * time.Microsecond) }
	inv := tracetest.SpanStub{
		Name: "GET /hello", SpanContext: id(1), Parent: lambda, SpanKind: trace.SpanKindServer,
		StartTime: at(0), EndTime: at(2400),
		Attributes: []attribute.KeyValue{
			attribute.String("faas.trigger", "http"), attribute.String("faas.invocation_id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"),
			attribute.Bool("faas.coldstart", false), attribute.String("cloud.resource_id", "arn:aws:lambda:eu-west-1:123456789012:function:hello:7"),
			attribute.String("http.request.method", "GET"), attribute.String("url.path", "/hello"),
			attribute.String("url.scheme", "https"), attribute.String("server.address", "abc.execute-api.eu-west-1.amazonaws.com"),
			attribute.String("http.route", "/hello"), attribute.Int("http.response.status_code", 200),
		},
	}
	recv := tracetest.SpanStub{Name: "lumen.receive", SpanContext: id(2), Parent: inv.SpanContext, StartTime: at(0), EndTime: at(40)}
	handle := tracetest.SpanStub{Name: "lumen.handle", SpanContext: id(3), Parent: inv.SpanContext, StartTime: at(45), EndTime: at(2100)}
	post := tracetest.SpanStub{Name: "lumen.post", SpanContext: id(4), Parent: inv.SpanContext, StartTime: at(2110), EndTime: at(2390)}
	return tracetest.SpanStubs{recv, handle, post, inv}
}

// countingConn counts the datagrams written through it.
type countingConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(b)
}

// BenchmarkExportInvocation measures the export of one invocation's four
// spans (invocation, receive, handle, post) in one ExportSpans call, as the
// flush point makes it, to a loopback daemon; datagrams/op counts the
// datagrams written.
func BenchmarkExportInvocation(b *testing.B) {
	d := startDaemon(b)
	exp, err := New(b.Context(), WithDaemonAddress(d.Addr()))
	require.NoError(b, err)
	b.Cleanup(func() { _ = exp.Shutdown(b.Context()) })
	conn := &countingConn{Conn: exp.conn}
	exp.conn = conn
	go func() {
		for range d.got { // drain
		}
	}()
	spans := invocationStubs().Snapshots()
	b.ReportAllocs()
	for b.Loop() {
		if err := exp.ExportSpans(b.Context(), spans); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(conn.writes.Load())/float64(b.N), "datagrams/op")
}
