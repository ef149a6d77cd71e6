package xray

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

const lambdaHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0"

var (
	idRE   = regexp.MustCompile(`^[0-9a-f]{16}$`)
	rootRE = regexp.MustCompile(`^1-[0-9a-f]{8}-[0-9a-f]{24}$`)
)

func newExporter(t *testing.T, d *fakeDaemon, opts ...Option) *Exporter {
	t.Helper()
	e, err := New(t.Context(), append([]Option{WithDaemonAddress(d.Addr())}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, e.Shutdown(context.Background())) })
	return e
}

// TestLambdaSubsegments runs spans through a real TracerProvider under a
// Lambda trace header and checks that each arrives as a subsegment linked to
// Lambda's function segment (the header's Parent) or to its parent span.
func TestLambdaSubsegments(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithIDGenerator(tracing.IDGenerator{}))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })

	h, err := invocation.ParseXRayHeader(lambdaHeader)
	require.NoError(t, err)
	ctx := trace.ContextWithRemoteSpanContext(t.Context(), h.SpanContext())
	tr := tp.Tracer("test")

	ctx, inv := tr.Start(ctx, "hello", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("faas.invocation_id", "req-1"), attribute.Bool("coldstart", true)))
	hctx, handle := tr.Start(ctx, "lumen.handle")
	_, call := tr.Start(hctx, "GET", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("http.request.method", "GET"),
		attribute.String("url.full", "https://api.example.com/items?id=1"),
		attribute.String("server.address", "api.example.com"),
		attribute.Int("http.response.status_code", 200),
	))
	call.End()
	handle.End()
	inv.End()

	docs := d.nextN(t, t.Context(), 3)
	require.Len(t, docs, 3)
	invDoc, handleDoc, callDoc := docs["hello"], docs["lumen.handle"], docs["api.example.com"]
	require.NotNil(t, invDoc)
	require.NotNil(t, handleDoc)
	require.NotNil(t, callDoc, "client span named after the remote host; got %v", docs)

	for _, doc := range docs {
		require.Equal(t, "1-5759e988-bd862e3fe1be46a994272793", doc["trace_id"])
		require.Regexp(t, rootRE, doc["trace_id"])
		require.Regexp(t, idRE, doc["id"])
		require.Equal(t, "subsegment", doc["type"])
		require.LessOrEqual(t, doc["start_time"].(float64), doc["end_time"].(float64))
		require.Greater(t, doc["start_time"].(float64), 1e9)
	}
	require.Equal(t, "53995c3f42cd8ad8", invDoc["parent_id"], "invocation span hangs off Lambda's function segment")
	require.Equal(t, inv.SpanContext().SpanID().String(), invDoc["id"])
	require.Equal(t, invDoc["id"], handleDoc["parent_id"])
	require.Equal(t, handleDoc["id"], callDoc["parent_id"])

	require.Equal(t, "remote", callDoc["namespace"])
	require.NotContains(t, invDoc, "namespace")
	require.Equal(t, map[string]any{
		"request":  map[string]any{"method": "GET", "url": "https://api.example.com/items?id=1"},
		"response": map[string]any{"status": float64(200)},
	}, callDoc["http"])
	require.Equal(t, map[string]any{"coldstart": true}, invDoc["annotations"])
	require.Equal(t, map[string]any{"default": map[string]any{"faas.invocation_id": "req-1"}}, invDoc["metadata"])
	for _, doc := range docs {
		require.NotContains(t, doc, "fault")
		require.NotContains(t, doc, "error")
	}
}

// TestUnsampledSkipped proves that only sampled spans are sent.
func TestUnsampledSkipped(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })

	h, err := invocation.ParseXRayHeader(strings.Replace(lambdaHeader, "Sampled=1", "Sampled=0", 1))
	require.NoError(t, err)
	_, s := tp.Tracer("test").Start(trace.ContextWithRemoteSpanContext(t.Context(), h.SpanContext()), "unsampled")
	s.End()

	stub := stubSpan("recorded but unsampled")
	stub.SpanContext = stub.SpanContext.WithTraceFlags(0)
	require.NoError(t, exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{stub.Snapshot()}))
	d.none(t, t.Context())
}

// TestRecordErrorStack records a real error with a stack trace and checks the
// exception and its parsed frames.
func TestRecordErrorStack(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })

	_, s := tp.Tracer("test").Start(t.Context(), "failing")
	s.RecordError(errors.New("boom"), trace.WithStackTrace(true))
	s.SetStatus(codes.Error, "boom")
	s.End()

	doc := d.next(t, t.Context())
	require.Equal(t, true, doc["fault"])
	require.NotContains(t, doc, "parent_id", "a root span is a segment")
	require.NotContains(t, doc, "type")
	exc := doc["cause"].(map[string]any)["exceptions"].([]any)
	require.Len(t, exc, 1)
	e0 := exc[0].(map[string]any)
	require.Equal(t, "*errors.errorString", e0["type"])
	require.Equal(t, "boom", e0["message"])
	require.Regexp(t, idRE, e0["id"])
	stack := e0["stack"].([]any)
	require.NotEmpty(t, stack)
	var labels []string
	for _, f := range stack {
		fr := f.(map[string]any)
		require.Greater(t, fr["line"].(float64), 0.0)
		require.True(t, strings.HasSuffix(fr["path"].(string), ".go"), "path %v", fr["path"])
		labels = append(labels, fr["label"].(string))
	}
	require.Contains(t, strings.Join(labels, "\n"), "TestRecordErrorStack")
}

func TestExportAfterShutdown(t *testing.T) {
	d := startDaemon(t)
	var c counter
	exp, err := New(t.Context(), WithDaemonAddress(d.Addr()), WithDropCounter(&c))
	require.NoError(t, err)
	require.NoError(t, exp.Shutdown(t.Context()))
	require.NoError(t, exp.Shutdown(t.Context()), "idempotent")

	unsampled := stubSpan("never sent anyway")
	unsampled.SpanContext = unsampled.SpanContext.WithTraceFlags(0)
	err = exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{stubSpan("a").Snapshot(), unsampled.Snapshot(), stubSpan("b").Snapshot()})
	require.ErrorIs(t, err, ErrShutdown)
	var ee *ExportError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, 2, ee.DroppedSpans())
	require.Equal(t, 2, c.get("xray/traces"))
	d.none(t, t.Context())
}

func TestExportCanceledContext(t *testing.T) {
	d := startDaemon(t)
	var c counter
	exp := newExporter(t, d, WithDropCounter(&c))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := exp.ExportSpans(ctx, []sdktrace.ReadOnlySpan{stubSpan("a").Snapshot(), stubSpan("b").Snapshot(), stubSpan("c").Snapshot()})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 3, c.get("xray/traces"))
	require.ErrorIs(t, exp.ForceFlush(ctx), context.Canceled)
	require.NoError(t, exp.ForceFlush(t.Context()))
	d.none(t, t.Context())
}

// TestDeadDaemon sends to a port nobody listens on: the export returns (UDP
// never waits for a peer) and every span it reports lost is counted.
func TestDeadDaemon(t *testing.T) {
	exp, c := deadDaemonExporter(t)

	lost := 0
	for range 3 {
		err := exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{stubSpan("a").Snapshot()})
		var ee *ExportError
		if errors.As(err, &ee) {
			require.ErrorIs(t, err, syscall.ECONNREFUSED)
			lost += ee.Dropped
		} else {
			require.NoError(t, err)
		}
	}
	// Linux reports the port-unreachable reply to the first datagram on
	// the next write on the same socket.
	require.GreaterOrEqual(t, lost, 1)
	require.Equal(t, lost, c.get("xray/traces"))
}

// TestDeadDaemonStopsAtRefusal: once the kernel refuses a datagram (the
// daemon's port is closed) the export sends nothing more and counts every
// span it did not send. Only the datagram whose refusal the kernel reports
// on the next write can go unaccounted; without stopping, every other
// datagram would be sent into the closed port and lost uncounted.
func TestDeadDaemonStopsAtRefusal(t *testing.T) {
	exp, c := deadDaemonExporter(t)

	const roots = 10 // one datagram each
	spans := make([]sdktrace.ReadOnlySpan, 0, roots)
	for i := range roots {
		s := stubSpan(fmt.Sprintf("root %d", i))
		s.SpanContext = s.SpanContext.WithSpanID(trace.SpanID{0xd, byte(i + 1)})
		spans = append(spans, s.Snapshot())
	}
	err := exp.ExportSpans(t.Context(), spans)
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	var ee *ExportError
	require.ErrorAs(t, err, &ee)
	require.GreaterOrEqual(t, ee.Dropped, roots-1, "at most the first datagram went out unaccounted")
	require.Equal(t, ee.Dropped, c.get("xray/traces"))
}

// deadDaemonExporter is an exporter to a daemon's address whose port was
// closed, and the counter of what it drops.
func deadDaemonExporter(t *testing.T) (*Exporter, *counter) {
	t.Helper()
	d := startDaemon(t)
	addr := d.Addr()
	require.NoError(t, d.conn.Close()) // the port is now closed
	c := &counter{}
	exp, err := New(t.Context(), WithDaemonAddress(addr), WithDropCounter(c))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, exp.Shutdown(context.Background())) })
	return exp, c
}
