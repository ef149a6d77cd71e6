package otlplog

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	sdklog "go.opentelemetry.io/otel/sdk/log"
)

// defaultExporter is the exporter [New] uses without [WithExporter]: the
// OpenTelemetry SDK's OTLP/HTTP log exporter with its own defaults. Lumen
// builds its OTLP log exporters elsewhere (the built-in exporters/otlp, or
// exporters/otlpgrpc, which gives this package its gRPC exporter).
func defaultExporter(ctx context.Context) (sdklog.Exporter, error) {
	exp, err := otlploghttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("otlplog: otlp http/protobuf exporter: %w", err)
	}
	return exp, nil
}
