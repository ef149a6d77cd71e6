package flush_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	_ "github.com/lumen-rt/lumen/exporters/otlp" // registers the built-in otlp exporters
	"github.com/lumen-rt/lumen/exporters/xray"
	"github.com/lumen-rt/lumen/tracing"
)

// invocationAttrs are shaped like the attributes of Lumen's invocation span.
var invocationAttrs = []attribute.KeyValue{
	attribute.String("faas.invocation_id", "00000000-0000-4000-8000-000000000001"),
	attribute.String("faas.trigger", "http"),
	attribute.Bool("faas.coldstart", false),
	attribute.String("cloud.resource_id", "arn:aws:lambda:us-east-1:123456789012:function:bench"),
	attribute.String("cloud.account.id", "123456789012"),
}

// flushSpans ends one invocation's spans (the invocation span and a child)
// and flushes tp, once per op.
func flushSpans(b *testing.B, tp *sdktrace.TracerProvider) {
	b.Helper()
	tr := tp.Tracer("bench")
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		cctx, span := tr.Start(ctx, "bench", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(invocationAttrs...))
		_, child := tr.Start(cctx, "handle")
		child.End()
		span.End()
		if err := tp.ForceFlush(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.NoError(b, tp.Shutdown(context.WithoutCancel(ctx)))
}

// udpDaemon is a loopback UDP socket that reads and discards datagrams, as
// far as the exporter can tell an X-Ray daemon.
func udpDaemon(b *testing.B) (addr string, datagrams *atomic.Int64) {
	b.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(b, err)
	datagrams = &atomic.Int64{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			if _, _, err := conn.ReadFrom(buf); err != nil {
				return
			}
			datagrams.Add(1)
		}
	}()
	b.Cleanup(func() {
		_ = conn.Close()
		<-done
	})
	return conn.LocalAddr().String(), datagrams
}

// BenchmarkFlushXRay sends one invocation's spans to an X-Ray daemon's UDP
// socket on loopback.
func BenchmarkFlushXRay(b *testing.B) {
	addr, datagrams := udpDaemon(b)
	exp, err := xray.New(b.Context(), xray.WithDaemonAddress(addr))
	require.NoError(b, err)
	tp, err := tracing.NewTracerProvider(tracing.WithExporter(exp))
	if tp == nil {
		require.NoError(b, err)
	}
	flushSpans(b, tp)
	if datagrams.Load() == 0 {
		b.Fatal("the daemon received no segment")
	}
}

// otlpSink is a loopback OTLP/HTTP endpoint that accepts and discards,
// counting requests.
func otlpSink(b *testing.B) (url string, requests *atomic.Int64) {
	b.Helper()
	requests = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv.URL, requests
}

// BenchmarkFlushOTLPTraces sends one invocation's spans over OTLP/HTTP to a
// loopback sink, through the exporter the telemetry package builds for
// OTEL_TRACES_EXPORTER=otlp (registered by the built-in exporters/otlp).
func BenchmarkFlushOTLPTraces(b *testing.B) {
	url, requests := otlpSink(b)
	f, err := exporters.LookupSpanExporter("otlp")
	require.NoError(b, err)
	exp, err := f(b.Context(), exporters.Config{OTLP: exporters.OTLPSettings{Endpoint: url, Protocol: exporters.ProtocolHTTPProtobuf}})
	require.NoError(b, err)
	tp, err := tracing.NewTracerProvider(tracing.WithExporter(exp))
	if tp == nil {
		require.NoError(b, err)
	}
	flushSpans(b, tp)
	if requests.Load() == 0 {
		b.Fatal(errors.New("the sink received no export"))
	}
}
