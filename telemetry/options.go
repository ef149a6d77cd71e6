package telemetry

import (
	"io"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/metrics"
)

// Option configures [New].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	env            *Env
	tracerProvider trace.TracerProvider
	ignoreGlobal   bool
	recorder       *metrics.Recorder
	noMetrics      bool
	noLogHandler   bool
	logWriter      io.Writer
	errorHandler   func(error)
}

// WithEnv builds the pipeline from env instead of the process environment
// ([LoadEnv]).
func WithEnv(env Env) Option {
	return optionFunc(func(c *config) { c.env = &env })
}

// WithTracerProvider makes the pipeline use tp, the function's own: Lumen
// builds no span exporters (OTEL_TRACES_EXPORTER is ignored) and does not
// replace the global provider; tp is flushed at the flush point when it has
// a ForceFlush method. Default: a provider the function set as the global
// one before the pipeline was built, else one Lumen builds from the
// environment.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracerProvider = tp })
}

// WithoutGlobalTracerProvider ignores a provider set as the global one: the
// pipeline builds its own from the environment unless [WithTracerProvider]
// gives one.
func WithoutGlobalTracerProvider() Option {
	return optionFunc(func(c *config) { c.ignoreGlobal = true })
}

// WithMetrics makes the pipeline export rec's metrics instead of those of a
// recorder it builds.
func WithMetrics(rec *metrics.Recorder) Option {
	return optionFunc(func(c *config) { c.recorder = rec })
}

// WithoutMetrics builds no recorder and no metrics exporter, whatever
// OTEL_METRICS_EXPORTER says: the function records and exports its metrics
// itself.
func WithoutMetrics() Option {
	return optionFunc(func(c *config) { c.noMetrics = true })
}

// WithoutLogHandler builds no Lambda log handler: [Pipeline.LogHandler]
// returns only the log exporters' handler (nil without one), and
// [Pipeline.Install] leaves slog's default logger alone.
func WithoutLogHandler() Option {
	return optionFunc(func(c *config) { c.noLogHandler = true })
}

// WithLogWriter sets where the Lambda log handler writes. Default:
// os.Stdout, which Lambda sends to CloudWatch Logs.
func WithLogWriter(w io.Writer) Option {
	return optionFunc(func(c *config) { c.logWriter = w })
}

// WithErrorHandler receives the errors of the pipeline's background work
// (failed exports the flush point does not see, the OpenTelemetry SDK's
// errors once installed) and the configuration warnings. Default: log them
// at WARN through the pipeline's log handler.
func WithErrorHandler(h func(error)) Option {
	return optionFunc(func(c *config) { c.errorHandler = h })
}
