package xray

import (
	"context"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
)

func init() { exporters.RegisterSpanExporter(ExporterName, newRegistered) }

// newRegistered builds the exporter OTEL_TRACES_EXPORTER=xray selects: to
// the daemon at AWS_XRAY_DAEMON_ADDRESS (else the default address),
// counting its drops.
func newRegistered(ctx context.Context, cfg exporters.Config) (sdktrace.SpanExporter, error) {
	addr := cfg.XRayDaemonAddress
	if addr == "" {
		addr = DefaultDaemonAddress
	}
	opts := []Option{WithDaemonAddress(addr)}
	if cfg.Drops != nil {
		opts = append(opts, WithDropCounter(cfg.Drops))
	}
	return New(ctx, opts...)
}

var _ exporters.SpanExporterFactory = newRegistered
