package otlpgrpc

import (
	"context"
	"fmt"
	"os"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/exporters/traces"
)

func init() {
	exporters.RegisterSpanExporter(Name, newSpans)
	exporters.RegisterMetricsExporter(Name, newMetrics)
	exporters.RegisterLogExporter(Name, newLogs)
}

// protocol returns the OTLP protocol the environment chooses for signal.
func protocol(signal string) (string, error) {
	p, err := envconfig.OTLPProtocol(os.Getenv, signal)
	if err != nil {
		return "", fmt.Errorf("otlp: %w", err)
	}
	return p, nil
}

// newSpans is the registered span exporter factory: [NewSpanExporter],
// counting the spans of failed exports in cfg.Drops.
func newSpans(ctx context.Context, cfg exporters.Config) (sdktrace.SpanExporter, error) {
	exp, err := NewSpanExporter(ctx, cfg.Drops)
	if err != nil {
		return nil, err
	}
	if _, light := exp.(*otlp.SpanExporter); light {
		return exp, nil // counts its own drops
	}
	return traces.Counting(exp, Name, cfg.Drops), nil
}

// newMetrics is the registered metrics exporter factory: over gRPC, an
// otlpmetric Exporter of cfg.Gatherer; over HTTP, the built-in exporter
// when cfg.Gatherer also hands out its series, else otlpmetric.
func newMetrics(ctx context.Context, cfg exporters.Config) (exporters.Flusher, error) {
	proto, err := protocol(exporters.SignalMetrics)
	if err != nil {
		return nil, err
	}
	if src, ok := cfg.Gatherer.(otlp.SeriesSource); ok && proto == ProtocolHTTP {
		return newHTTPMetricExporter(src, cfg.Drops)
	}
	exp, err := otlpmetric.New(ctx, cfg.Gatherer, otlpmetric.WithDropCounter(cfg.Drops))
	if err != nil {
		return nil, err
	}
	return exp, nil
}

// newLogs is the registered log exporter factory: over gRPC, an otlplog
// Exporter; over HTTP, the built-in exporter under the logging package's
// policy.
func newLogs(ctx context.Context, cfg exporters.Config) (exporters.LogExporter, error) {
	proto, err := protocol(exporters.SignalLogs)
	if err != nil {
		return nil, err
	}
	if proto == ProtocolHTTP {
		return newHTTPLogExporter(cfg.Drops)
	}
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
