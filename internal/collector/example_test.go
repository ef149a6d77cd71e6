package collector_test

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/collector"
)

// A test starts the collector, exports to its OTLP/HTTP receiver (the
// Setenv method points a function's OTEL_EXPORTER_OTLP_* variables at it
// instead), and waits for the spans on the far side of the collector. (Not
// run: it needs a *testing.T.)
func Example() {
	var t *testing.T // the test's own

	c := collector.Start(t)
	exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(c.OTLPHTTPEndpoint()))
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	_, span := tp.Tracer("test").Start(t.Context(), "hello")
	span.End()
	if err := tp.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	spans, err := c.WaitSpans(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(spans[0].GetName())
}
