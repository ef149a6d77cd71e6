package otlp

import (
	"context"
	"fmt"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
)

// The package registers itself as "otlp" for every signal: the telemetry
// package, which links it into every function, builds the exporters the
// OTEL_*_EXPORTER variables select from the exporters.Config it read from
// the environment.
func init() {
	exporters.RegisterSpanExporter(Name, newSpans)
	exporters.RegisterMetricsExporter(Name, newMetrics)
	exporters.RegisterLogExporter(Name, newLogs)
}

// configOptions turns a registered exporter's Config into options: the
// signal's OTLP settings, the resource and the drop counter.
func configOptions(cfg exporters.Config) ([]Option, error) {
	s := cfg.OTLP
	switch s.Protocol {
	case "", exporters.ProtocolHTTPProtobuf, exporters.ProtocolHTTPJSON:
		// http/json is sent as protobuf, which receivers accept on the
		// same URL (the telemetry package warns about it).
	default:
		return nil, fmt.Errorf("%w: protocol %q: this exporter speaks OTLP over HTTP; gRPC is registered as %q by exporters/otlpgrpc",
			ErrInvalidConfig, s.Protocol, exporters.GRPC)
	}
	comp, err := ParseCompression(s.Compression)
	if err != nil {
		return nil, err
	}
	opts := []Option{
		WithResource(cfg.Resource), WithDropCounter(cfg.Drops), WithCompression(comp), WithHeaders(s.Headers),
	}
	switch {
	case s.Endpoint == "":
	case s.SignalURL:
		opts = append(opts, WithSignalURL(s.Endpoint))
	default:
		opts = append(opts, WithEndpoint(s.Endpoint))
	}
	if s.Timeout > 0 {
		opts = append(opts, WithTimeout(s.Timeout))
	}
	return opts, nil
}

// newSpans is the registered span exporter factory.
func newSpans(_ context.Context, cfg exporters.Config) (sdktrace.SpanExporter, error) {
	opts, err := configOptions(cfg)
	if err != nil {
		return nil, err
	}
	return NewSpanExporter(opts...)
}

// newMetrics is the registered metrics exporter factory: the series of
// cfg.Series, else, for a recorder that does not hand them out, those
// gathered from cfg.Gatherer.
func newMetrics(_ context.Context, cfg exporters.Config) (exporters.Flusher, error) {
	opts, err := configOptions(cfg)
	if err != nil {
		return nil, err
	}
	t, err := ParseTemporality(cfg.OTLP.Temporality)
	if err != nil {
		return nil, err
	}
	src := cfg.Series
	if src == nil {
		if cfg.Gatherer == nil {
			return nil, fmt.Errorf("%w: no metrics to export (neither Series nor Gatherer)", ErrInvalidConfig)
		}
		src = GathererSource(cfg.Gatherer, cfg.ErrorHandler)
	}
	return NewMetricExporter(src, append(opts, WithTemporality(t))...)
}

// newLogs is the registered log exporter factory. Its handler applies no
// policy: the telemetry package wraps it with the logging package's.
func newLogs(_ context.Context, cfg exporters.Config) (exporters.LogExporter, error) {
	opts, err := configOptions(cfg)
	if err != nil {
		return nil, err
	}
	// A flush's records leave in one request (within the byte bound), so
	// only the queue's size applies.
	return NewLogExporter(append(opts, WithMaxRecords(cfg.LogQueue.MaxSize))...)
}

var (
	_ exporters.SpanExporterFactory    = newSpans
	_ exporters.MetricsExporterFactory = newMetrics
	_ exporters.LogExporterFactory     = newLogs
)
