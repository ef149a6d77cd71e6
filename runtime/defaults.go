package runtime

import (
	"context"

	"github.com/lumen-rt/lumen/telemetry"
)

// Environment variables [Start] reads to build its default telemetry; the
// telemetry package reads them (see telemetry.Variables for all of them).
const (
	// EnvMetricsExporter lists the metrics exporters.
	//
	// Deprecated: an alias of OTEL_METRICS_EXPORTER, which wins when both
	// are set; see telemetry.EnvLumenMetricsExporter.
	EnvMetricsExporter = telemetry.EnvLumenMetricsExporter
	// EnvMetricsAddr is the address of the prometheus exporter's /metrics
	// endpoint.
	//
	// Deprecated: see telemetry.EnvMetricsAddr.
	EnvMetricsAddr = telemetry.EnvMetricsAddr
)

// WithoutDefaultLogger keeps slog's default logger as it is: [Start] does
// not install Lumen's Lambda log handler (package logging) as the default.
func WithoutDefaultLogger() Option {
	return func(o *options) { o.keepLogger = true }
}

// WithTelemetry makes the runtime use p, a pipeline built with
// telemetry.New, instead of the one [Start] builds from the environment.
// [Run] starts and installs it once the configuration is valid, traces and
// records every invocation on it, flushes it at the flush point and shuts it
// down on SIGTERM. Options given explicitly ([WithTracerProvider],
// [WithMetrics], [WithFlusher]) add to it.
func WithTelemetry(p *telemetry.Pipeline) Option {
	return func(o *options) { o.pipeline = p }
}

// withDefaults returns the user's options with, in front, the pipeline
// telemetry.New builds from the environment (unless [WithoutTelemetry] or
// [WithTelemetry] says otherwise). What the user's options bring (a tracer
// provider, a recorder, their own logger) is used, not built again. The
// pipeline is only built here: [Run] starts and installs it once the
// configuration is valid; an error is reported to /runtime/init/error.
func withDefaults(ctx context.Context, user []Option) []Option {
	var o options
	for _, opt := range user {
		opt(&o)
	}
	if o.noTelemetry || o.pipeline != nil {
		return user
	}
	var topts []telemetry.Option
	if o.tracerProvider != nil {
		topts = append(topts, telemetry.WithTracerProvider(o.tracerProvider))
	}
	if o.metrics != nil {
		// The function records into its own recorder and exports it
		// through the flushers it registers.
		topts = append(topts, telemetry.WithoutMetrics())
	}
	if o.keepLogger {
		topts = append(topts, telemetry.WithoutLogHandler())
	}
	if o.errorHandler != nil {
		topts = append(topts, telemetry.WithErrorHandler(o.errorHandler))
	}
	p, err := telemetry.New(ctx, topts...)
	if err != nil {
		return append([]Option{func(o *options) { o.setupErr = err }}, user...)
	}
	return append([]Option{WithTelemetry(p)}, user...)
}
