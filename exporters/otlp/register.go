package otlp

import (
	"context"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/exporters/traces"
)

func init() {
	exporters.RegisterSpanExporter(Name, newSpans)
	exporters.RegisterMetricsExporter(Name, newMetrics)
	exporters.RegisterLogExporter(Name, newLogs)
}

// newSpans is the registered span exporter factory: [NewSpanExporter],
// counting the spans of failed exports in cfg.Drops.
func newSpans(ctx context.Context, cfg exporters.Config) (sdktrace.SpanExporter, error) {
	exp, err := NewSpanExporter(ctx)
	if err != nil {
		return nil, err
	}
	return traces.Counting(exp, Name, cfg.Drops), nil
}

// newMetrics is the registered metrics exporter factory: an otlpmetric
// Exporter of cfg.Gatherer.
func newMetrics(ctx context.Context, cfg exporters.Config) (exporters.Flusher, error) {
	exp, err := otlpmetric.New(ctx, cfg.Gatherer, otlpmetric.WithDropCounter(cfg.Drops))
	if err != nil {
		return nil, err
	}
	return exp, nil
}

// newLogs is the registered log exporter factory: an otlplog Exporter
// sending OTLP, whatever else OTEL_LOGS_EXPORTER lists.
func newLogs(ctx context.Context, cfg exporters.Config) (exporters.LogExporter, error) {
	otlpExp, err := otlplog.NewOTLPExporter(ctx)
	if err != nil {
		return nil, err
	}
	exp, err := otlplog.New(ctx, otlplog.WithExporter(otlpExp), otlplog.WithDropCounter(cfg.Drops))
	if err != nil {
		return nil, err
	}
	return exp, nil
}

var (
	_ exporters.SpanExporterFactory    = newSpans
	_ exporters.MetricsExporterFactory = newMetrics
	_ exporters.LogExporterFactory     = newLogs
	_ exporters.LogExporter            = (*otlplog.Exporter)(nil)
	_ exporters.Flusher                = (*otlpmetric.Exporter)(nil)
)
