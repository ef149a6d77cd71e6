package xray

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// TestInvocationOneDatagram runs an invocation the way the runtime does,
// through a tracer provider with the flush processor, under a Lambda trace
// header: at the flush the invocation arrives as one document with its
// phases and the handler's span nested, and lumen.init, Lambda's child too,
// as one document of its own.
func TestInvocationOneDatagram(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracing.NewFlushProcessor(exp)),
		sdktrace.WithIDGenerator(tracing.IDGenerator{}))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	tr := tp.Tracer("test")

	h, err := invocation.ParseXRayHeader(lambdaHeader)
	require.NoError(t, err)
	lambdaCtx := trace.ContextWithRemoteSpanContext(t.Context(), h.SpanContext())
	now := time.Now()
	at := func(ms int) trace.SpanEventOption {
		return trace.WithTimestamp(now.Add(time.Duration(ms) * time.Millisecond))
	}

	_, init := tr.Start(lambdaCtx, "lumen.init", at(-50))
	init.End(at(-1))
	ctx, inv := tr.Start(lambdaCtx, "GET /hello", trace.WithSpanKind(trace.SpanKindServer), at(0),
		trace.WithAttributes(attribute.String("faas.invocation_id", "req-1"), attribute.Int("http.response.status_code", 200)))
	_, recv := tr.Start(ctx, "lumen.receive", at(0))
	recv.End(at(1))
	hctx, handle := tr.Start(ctx, "lumen.handle", at(2))
	_, call := tr.Start(hctx, "GET", trace.WithSpanKind(trace.SpanKindClient), at(3), trace.WithAttributes(
		attribute.String("http.request.method", "GET"), attribute.String("url.full", "https://api.example.com/x"),
		attribute.String("server.address", "api.example.com"), attribute.Int("http.response.status_code", 503)))
	call.SetStatus(codes.Error, "503")
	call.End(at(5))
	handle.End(at(6))
	_, post := tr.Start(ctx, "lumen.post", at(7))
	post.End(at(8))
	inv.End(at(9))

	require.NoError(t, tp.ForceFlush(t.Context()))
	docs := d.nextN(t, t.Context(), 2)
	d.none(t, t.Context())

	initDoc, invDoc := docs["lumen.init"], docs["GET /hello"]
	require.NotNil(t, initDoc, "got %v", docs)
	require.NotNil(t, invDoc, "got %v", docs)
	for _, doc := range docs {
		require.Equal(t, "53995c3f42cd8ad8", doc["parent_id"], "Lambda's function segment")
		require.Equal(t, "subsegment", doc["type"])
		require.Equal(t, "1-5759e988-bd862e3fe1be46a994272793", doc["trace_id"])
	}
	require.NotContains(t, initDoc, "subsegments")
	require.Equal(t, inv.SpanContext().SpanID().String(), invDoc["id"])
	require.Equal(t, []string{"lumen.receive", "lumen.handle", "lumen.post"}, subsegmentNames(invDoc), "in start order")

	phases := subsegments(t, invDoc)
	for name, span := range map[string]trace.Span{"lumen.receive": recv, "lumen.handle": handle, "lumen.post": post} {
		doc := phases[name]
		require.Equal(t, span.SpanContext().SpanID().String(), doc["id"])
		for _, k := range []string{"trace_id", "parent_id", "type"} {
			require.NotContains(t, doc, k, "a nested subsegment takes %s from its parent", k)
		}
		require.LessOrEqual(t, invDoc["start_time"].(float64), doc["start_time"].(float64))
		require.LessOrEqual(t, doc["end_time"].(float64), invDoc["end_time"].(float64))
	}
	calls := subsegments(t, phases["lumen.handle"])
	callDoc := calls["api.example.com"]
	require.NotNil(t, callDoc, "the handler's span under lumen.handle; got %v", calls)
	require.Equal(t, call.SpanContext().SpanID().String(), callDoc["id"])
	require.Equal(t, "remote", callDoc["namespace"])
	require.Equal(t, true, callDoc["fault"])
	require.Equal(t, float64(503), callDoc["http"].(map[string]any)["response"].(map[string]any)["status"])
	require.Equal(t, map[string]any{"default": map[string]any{"faas.invocation_id": "req-1"}}, invDoc["metadata"])
}

// TestNestedKeepsEveryField: each span's nested document says exactly what
// its standalone document says, but for the fields X-Ray takes from the
// enclosing document.
func TestNestedKeepsEveryField(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	stubs := richInvocation()

	standalone := map[string]map[string]any{}
	for _, s := range stubs.Snapshots() {
		require.NoError(t, exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{s}))
		doc := d.next(t, t.Context())
		standalone[doc["id"].(string)] = doc
	}
	require.Len(t, standalone, len(stubs))

	require.NoError(t, exp.ExportSpans(t.Context(), stubs.Snapshots()))
	root := d.next(t, t.Context())
	d.none(t, t.Context())
	seen := 0
	var walk func(doc map[string]any, depth int)
	walk = func(doc map[string]any, depth int) {
		seen++
		want := standalone[doc["id"].(string)]
		require.NotNil(t, want, "unknown id %v", doc["id"])
		if depth == 0 {
			require.Equal(t, want["trace_id"], doc["trace_id"])
			require.Equal(t, want["parent_id"], doc["parent_id"])
			require.Equal(t, want["type"], doc["type"])
		}
		require.Equal(t, normalise(want), normalise(doc), "span %s", doc["name"])
		children, _ := doc["subsegments"].([]any)
		for _, c := range children {
			walk(c.(map[string]any), depth+1)
		}
	}
	if _, ok := root["subsegments"]; !ok {
		t.Fatalf("not nested: %v", root)
	}
	walk(root, 0)
	require.Equal(t, len(stubs), seen, "every span once")
	handle := subsegments(t, root)["lumen.handle"]
	require.Equal(t, []string{"DynamoDB", "api.example.com"}, subsegmentNames(handle))
}

// TestNestingOrder: whatever order the spans come in, children are nested
// in start order and documents leave in their roots' start order; a span
// whose parent is not in the export is sent alone with its parent_id;
// unsampled spans are not sent.
func TestNestingOrder(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	stubs := richInvocation()

	// A second invocation in the same export, started later, as with
	// AWS_LAMBDA_MAX_CONCURRENCY > 1.
	other := invocationStubs()
	for i := range other {
		other[i].SpanContext = other[i].SpanContext.WithSpanID(trace.SpanID{0xb0, 0, 0, 0, 0, 0, 0, byte(i + 1)})
		other[i].StartTime = other[i].StartTime.Add(time.Second)
		other[i].EndTime = other[i].EndTime.Add(time.Second)
	}
	invB := other[3].SpanContext
	for i := range 3 {
		other[i].Parent = invB
	}
	late := tracetest.SpanStub{
		Name: "late child", SpanContext: other[0].SpanContext.WithSpanID(trace.SpanID{0xc0, 1}),
		Parent:    trace.NewSpanContext(trace.SpanContextConfig{TraceID: testTraceID, SpanID: trace.SpanID{0xde, 0xad}, TraceFlags: trace.FlagsSampled}),
		StartTime: testStart.Add(-time.Second), EndTime: testStart,
	}
	unsampled := other[1]
	unsampled.Name = "unsampled"
	unsampled.SpanContext = unsampled.SpanContext.WithSpanID(trace.SpanID{0xc0, 2}).WithTraceFlags(0)

	all := append(append(append(tracetest.SpanStubs{}, stubs...), other...), late, unsampled)
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 5 {
		spans := all.Snapshots()
		r.Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
		require.NoError(t, exp.ExportSpans(t.Context(), spans))

		first, second, third := d.next(t, t.Context()), d.next(t, t.Context()), d.next(t, t.Context())
		d.none(t, t.Context())
		require.Equal(t, "late child", first["name"], "round %d", round)
		require.Equal(t, "dead000000000000", first["parent_id"])
		require.Equal(t, "subsegment", first["type"])
		require.Equal(t, "a000000000000001", second["id"])
		require.Equal(t, []string{"lumen.receive", "lumen.handle", "lumen.post"}, subsegmentNames(second))
		require.Equal(t, []string{"DynamoDB", "api.example.com"}, subsegmentNames(subsegments(t, second)["lumen.handle"]))
		require.Equal(t, "b000000000000004", third["id"])
		require.Equal(t, []string{"lumen.receive", "lumen.handle", "lumen.post"}, subsegmentNames(third))
	}
}

// TestParentCycle: a corrupt export whose spans are each other's parents
// still loses nothing: each is sent alone.
func TestParentCycle(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d)
	a, b := stubSpan("a"), stubSpan("b")
	a.SpanContext = a.SpanContext.WithSpanID(trace.SpanID{1})
	b.SpanContext = b.SpanContext.WithSpanID(trace.SpanID{2})
	a.Parent, b.Parent = b.SpanContext, a.SpanContext
	self := stubSpan("self")
	self.SpanContext = self.SpanContext.WithSpanID(trace.SpanID{3})
	self.Parent = self.SpanContext
	require.NoError(t, exp.ExportSpans(t.Context(), tracetest.SpanStubs{a, b, self}.Snapshots()))
	docs := d.nextN(t, t.Context(), 3)
	d.none(t, t.Context())
	require.Equal(t, "0200000000000000", docs["a"]["parent_id"])
	require.Equal(t, "0100000000000000", docs["b"]["parent_id"])
	require.Equal(t, "0300000000000000", docs["self"]["parent_id"])
}

// TestExportCanceledNested: a tree not sent when ctx has ended is counted
// span by span.
func TestExportCanceledNested(t *testing.T) {
	d := startDaemon(t)
	var c counter
	exp := newExporter(t, d, WithDropCounter(&c))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := exp.ExportSpans(ctx, richInvocation().Snapshots())
	require.ErrorIs(t, err, context.Canceled)
	var ee *ExportError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, 6, ee.Dropped)
	require.Equal(t, 6, c.get("xray/traces"))
	d.none(t, t.Context())
}
