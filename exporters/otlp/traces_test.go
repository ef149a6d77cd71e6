package otlp_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// TestSpanExporter sends batches through a TracerProvider, as the runtime
// does, and checks what arrives.
func TestSpanExporter(t *testing.T) {
	sink := collector.NewSink(t)
	exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(sink.URL()), otlp.WithResource(testResource))
	require.NoError(t, err)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithResource(testResource))
	_, span := tp.Tracer("test").Start(t.Context(), "invoke")
	span.SetAttributes(attribute.String("faas.trigger", "http"))
	span.End()
	require.NoError(t, tp.Shutdown(t.Context()))

	reqs := sink.TraceRequests()
	require.Len(t, reqs, 1)
	rs := reqs[0].GetResourceSpans()[0]
	require.Equal(t, map[string]any{"service.name": "hello"}, otlptest.Attributes(rs.GetResource().GetAttributes()))
	s := rs.GetScopeSpans()[0].GetSpans()[0]
	require.Equal(t, "invoke", s.GetName())
	require.Equal(t, map[string]any{"faas.trigger": "http"}, otlptest.Attributes(s.GetAttributes()))
}

// TestSpanExporterShutdown checks that spans exported after Shutdown are
// counted and refused, and that Shutdown is idempotent.
func TestSpanExporterShutdown(t *testing.T) {
	sink := collector.NewSink(t)
	var drops exportertest.Drops
	exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(sink.URL()), otlp.WithDropCounter(&drops), otlp.WithName("otlp-traces"))
	require.NoError(t, err)
	require.NoError(t, exp.ExportSpans(t.Context(), nil), "nothing to send")
	require.NoError(t, exp.Shutdown(t.Context()))
	require.NoError(t, exp.Shutdown(t.Context()))
	require.ErrorIs(t, exp.ExportSpans(t.Context(), spans(2)), otlp.ErrShutdown)
	require.Equal(t, 2, drops.Count("otlp-traces", exporters.SignalTraces))
	require.Equal(t, "otlp-traces", exp.Name())
	require.Empty(t, sink.Spans())
}

// TestEarlyAnswer answers before reading large request bodies, so the
// transport may still read a body after the answer: the buffers must not
// be written meanwhile (run with -race).
func TestEarlyAnswer(t *testing.T) {
	srv := newScripted(t, answer{status: http.StatusBadRequest, early: true})
	exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(srv.URL))
	require.NoError(t, err)
	big := make(tracetest.SpanStubs, 200)
	for i := range big {
		big[i] = tracetest.SpanStub{Name: strings.Repeat("x", 4096)}
	}
	for range 5 {
		require.ErrorIs(t, exp.ExportSpans(t.Context(), big.Snapshots()), otlp.ErrStatus)
	}
	require.NoError(t, exp.Shutdown(context.Background()))
}
