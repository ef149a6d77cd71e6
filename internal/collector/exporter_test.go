package collector

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	_ "github.com/lumen-rt/lumen/exporters/otlp"     // registers otlp (OTLP/HTTP)
	_ "github.com/lumen-rt/lumen/exporters/otlpgrpc" // registers otlpgrpc (OTLP/gRPC)
)

// otlpSpanExporter builds, through the exporter registry, the span
// exporter the telemetry package builds for OTEL_TRACES_EXPORTER=otlp over
// protocol ("http/protobuf" or "grpc"), pointed at c.
func otlpSpanExporter(tb testing.TB, c *Collector, protocol string, drops exporters.DropCounter) sdktrace.SpanExporter {
	tb.Helper()
	name := "otlp"
	if protocol == exporters.ProtocolGRPC {
		name = exporters.GRPC
	}
	f, err := exporters.LookupSpanExporter(name)
	if err != nil {
		tb.Fatal(err)
	}
	exp, err := f(tb.Context(), exporters.Config{
		Drops: drops,
		OTLP:  exporters.OTLPSettings{Endpoint: c.Endpoint(protocol), Protocol: protocol},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return exp
}
