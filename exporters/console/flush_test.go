package console

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/tracing"
)

// TestWithFlushProcessor runs the exporter behind tracing's flush
// processor, as the runtime does: each flush writes the invocation it
// follows as one tree, phases and the handler's span under the invocation.
func TestWithFlushProcessor(t *testing.T) {
	var out bytes.Buffer
	p := tracing.NewFlushProcessor(New(WithWriter(&out)))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(p))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	tr := tp.Tracer("t")

	invoke := func(lambda trace.SpanContext, name string) string {
		at := func(us int) trace.SpanEventOption {
			return trace.WithTimestamp(t0.Add(time.Duration(us) * time.Microsecond))
		}
		ctx := trace.ContextWithRemoteSpanContext(t.Context(), lambda)
		ctx, inv := tr.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer), at(0))
		_, recv := tr.Start(ctx, "lumen.receive", at(0))
		recv.End(at(40))
		hctx, handle := tr.Start(ctx, "lumen.handle", at(50))
		_, call := tr.Start(hctx, "api.example.com GET", at(100))
		call.End(at(3100))
		handle.End(at(3200))
		_, post := tr.Start(ctx, "lumen.post", at(3300))
		post.End(at(3500))
		inv.End(at(3600))
		out.Reset()
		require.NoError(t, tp.ForceFlush(t.Context()))
		return out.String()
	}
	tree := func(root, name string) string {
		return "trace " + root + "  " + name + "  3.6ms  ok\n" +
			"├─ lumen.receive  40.0µs  ok\n" +
			"├─ lumen.handle  3.1ms  ok\n" +
			"│  └─ api.example.com GET  3.0ms  ok\n" +
			"└─ lumen.post  200.0µs  ok\n"
	}
	require.Equal(t, tree("1-5759e988-bd862e3fe1be46a994272793", "GET /a"), invoke(sc(0x93, 0xff).WithRemote(true), "GET /a"))
	require.Equal(t, tree("1-5759e988-bd862e3fe1be46a994272794", "GET /b"), invoke(sc(0x94, 0xff).WithRemote(true), "GET /b"))
	out.Reset()
	require.NoError(t, tp.ForceFlush(t.Context()))
	require.Empty(t, out.String(), "nothing left for an empty flush")
}
