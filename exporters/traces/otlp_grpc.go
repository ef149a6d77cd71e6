package traces

import (
	"context"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// newGRPC builds the OTLP/gRPC exporter. It is linked unconditionally: the
// gRPC runtime is already in every binary that links otlptracehttp (its
// configuration package and the OTLP protobuf service stubs import it), so
// leaving otlptracegrpc out would save about 0.25 MB of a 14 MB binary.
func newGRPC(ctx context.Context) (sdktrace.SpanExporter, error) {
	return otlptracegrpc.New(ctx)
}
