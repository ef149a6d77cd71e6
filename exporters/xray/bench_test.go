package xray

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// benchSpans are the kinds of span an invocation has: a server span with
// FaaS and HTTP attributes, two phase spans and an HTTP client call that
// failed; they are not linked to each other.
func benchSpans() []sdktrace.ReadOnlySpan {
	inv := stubSpan("GET /hello")
	inv.SpanKind = trace.SpanKindServer
	inv.Attributes = []attribute.KeyValue{
		attribute.String("faas.trigger", "http"), attribute.String("faas.invocation_id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"),
		attribute.Bool("faas.coldstart", false), attribute.String("cloud.resource_id", "arn:aws:lambda:eu-west-1:123456789012:function:hello:7"),
		attribute.String("http.request.method", "GET"), attribute.String("url.path", "/hello"),
		attribute.String("http.route", "/hello"), attribute.Int("http.response.status_code", 200),
	}
	handle, post := stubSpan("lumen.handle"), stubSpan("lumen.post")
	call := stubSpan("GET")
	call.SpanKind = trace.SpanKindClient
	call.Attributes = []attribute.KeyValue{
		attribute.String("http.request.method", "GET"), attribute.String("url.full", "https://api.example.com/x"),
		attribute.String("server.address", "api.example.com"), attribute.Int("http.response.status_code", 503),
	}
	call.Status = sdktrace.Status{Code: codes.Error, Description: errors.New("503").Error()}
	return []sdktrace.ReadOnlySpan{inv.Snapshot(), handle.Snapshot(), post.Snapshot(), call.Snapshot()}
}

// BenchmarkExportSpans measures encoding and sending four spans that share
// no parent (so four documents, four datagrams) to a loopback daemon in one
// ExportSpans call; ns/span is per span. BenchmarkExportInvocation has one
// invocation's linked spans.
func BenchmarkExportSpans(b *testing.B) {
	d := startDaemon(b)
	exp, err := New(b.Context(), WithDaemonAddress(d.Addr()))
	require.NoError(b, err)
	b.Cleanup(func() { _ = exp.Shutdown(b.Context()) })
	go func() {
		for range d.got { // drain
		}
	}()
	spans := benchSpans()
	b.ReportAllocs()
	for b.Loop() {
		if err := exp.ExportSpans(b.Context(), spans); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spans)), "ns/span")
}

// BenchmarkEncode measures the document encoding alone.
func BenchmarkEncode(b *testing.B) {
	var e encoder
	spans := benchSpans()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := e.datagram(spans[i%len(spans)], MaxDatagramSize); !ok {
			b.Fatal("too large")
		}
	}
}
