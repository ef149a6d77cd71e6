package otlplog

import (
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/logging"
)

// Variables this package read before the telemetry package read them all.
//
// Deprecated: see telemetry.EnvLogsExporter and
// telemetry.EnvBLRPMaxQueueSize; this package reads no variable.
const (
	EnvLogsExporter = "OTEL_LOGS_EXPORTER"
	EnvMaxQueueSize = "OTEL_BLRP_MAX_QUEUE_SIZE"
)

// DefaultMaxQueueSize is the queue size when [WithMaxQueueSize] sets none,
// the SDK's default.
const DefaultMaxQueueSize = 2048

// Option configures New. Only this package can implement Option.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithExporter sends the records to exp. Default: the OpenTelemetry SDK's
// OTLP/HTTP log exporter (otlploghttp), configured as it configures itself.
func WithExporter(exp sdklog.Exporter) Option {
	return optionFunc(func(c *config) { c.exporter = exp })
}

// WithResource sets the resource of every record. Default:
// tracing.NewResource of an empty Environment (the SDK's attributes); the
// telemetry package passes the one Lambda resource of the process.
func WithResource(res *resource.Resource) Option {
	return optionFunc(func(c *config) { c.resource = res })
}

// WithDropCounter counts every record that does not reach the backend.
// Default: none (ForceFlush still returns export errors).
func WithDropCounter(d exporters.DropCounter) Option {
	return optionFunc(func(c *config) { c.drops = d })
}

// WithMaxQueueSize bounds the records waiting for export, including those of
// an export in progress; a record logged while the queue is full is dropped
// and counted. Values below 1 are ignored.
// Precedence: this option, then OTEL_BLRP_MAX_QUEUE_SIZE, then
// [DefaultMaxQueueSize].
func WithMaxQueueSize(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxQueue = n
		}
	})
}

// WithBatchOptions passes options to the SDK's batch processor, for example
// sdklog.WithExportInterval. A queue size given here is ignored: use
// [WithMaxQueueSize].
func WithBatchOptions(opts ...sdklog.BatchProcessorOption) Option {
	return optionFunc(func(c *config) { c.batch = append(c.batch, opts...) })
}

// WithLoggingOptions configures the level, debug sampling and redaction of
// [Exporter.Handler] (see [logging.Wrap]). Default: INFO, no sampling, the
// default redaction; the telemetry package passes the environment's.
func WithLoggingOptions(opts ...logging.Option) Option {
	return optionFunc(func(c *config) { c.logging = append(c.logging, opts...) })
}

// WithScopeName sets the instrumentation scope name of the records.
// Default: [ScopeName].
func WithScopeName(name string) Option {
	return optionFunc(func(c *config) { c.scope = name })
}

// ScopeName is the default instrumentation scope name.
const ScopeName = "github.com/lumen-rt/lumen/exporters/otlplog"

type config struct {
	exporter sdklog.Exporter
	resource *resource.Resource
	drops    exporters.DropCounter
	maxQueue int
	batch    []sdklog.BatchProcessorOption
	logging  []logging.Option
	scope    string
}

func newConfig(opts []Option) *config {
	c := &config{scope: ScopeName}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	if c.maxQueue == 0 {
		c.maxQueue = DefaultMaxQueueSize
	}
	return c
}
