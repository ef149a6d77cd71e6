package collector_test

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	_ "github.com/lumen-rt/lumen/exporters/otlpgrpc" // registers "otlp"
	"github.com/lumen-rt/lumen/exporters/traces"
	"github.com/lumen-rt/lumen/internal/collector"
)

// A test starts the collector, points the standard OTLP variables at it,
// exports through whatever exporters/traces builds (otlp needs the
// exporters/otlpgrpc import), and waits for the spans
// on the far side of the collector. (Not run: it needs a *testing.T.)
func Example() {
	var t *testing.T // the test's own

	c := collector.Start(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	c.Setenv(t, "grpc") // or "http/protobuf"

	exps, err := traces.New(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exps[0]))
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
