// Command otelonly is a function moved from aws-lambda-go with nothing but
// runtime.Start: no exporter import, no telemetry code. The integration
// tests configure it with OTEL_* variables alone, as the OpenTelemetry
// Lambda layer and ADOT teach, and read what reaches a real Collector.
package main

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel"

	"github.com/lumen-rt/lumen/runtime"
)

// Order is the event.
type Order struct {
	ID string `json:"id"`
}

func handle(ctx context.Context, o Order) (string, error) {
	_, span := otel.Tracer("orders").Start(ctx, "charge card")
	defer span.End()
	slog.InfoContext(ctx, "charged", "order", o.ID)
	return "charged " + o.ID, nil
}

func main() { runtime.Start(handle) }
