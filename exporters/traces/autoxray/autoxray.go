package autoxray

import (
	"context"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters/xray"
)

// Name is the OTEL_TRACES_EXPORTER value registered.
const Name = "xray"

func init() {
	autoexport.RegisterSpanExporter(Name, func(ctx context.Context) (sdktrace.SpanExporter, error) {
		return xray.New(ctx)
	})
}
