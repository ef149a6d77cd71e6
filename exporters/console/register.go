package console

import (
	"context"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
)

// Name is the name the console exporters are selected by.
const Name = "console"

func init() {
	exporters.RegisterSpanExporter(Name, func(context.Context, exporters.Config) (sdktrace.SpanExporter, error) {
		return New(), nil
	})
	exporters.RegisterMetricsExporter(Name, func(_ context.Context, cfg exporters.Config) (exporters.Flusher, error) {
		return NewMetrics(cfg.Gatherer), nil
	})
}
