package otlplog

import (
	"os"
	"strconv"
	"strings"

	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/logging"
)

// Environment variables read by New besides the exporter's own.
const (
	// EnvLogsExporter selects the exporter: otlp (the default of New) or
	// none.
	EnvLogsExporter = "OTEL_LOGS_EXPORTER"
	// EnvMaxQueueSize is the batch processor's queue size.
	EnvMaxQueueSize = "OTEL_BLRP_MAX_QUEUE_SIZE"
)

// DefaultMaxQueueSize is the queue size when neither [WithMaxQueueSize] nor
// OTEL_BLRP_MAX_QUEUE_SIZE sets one, the SDK's default.
const DefaultMaxQueueSize = 2048

// Option configures New. Options take precedence over the environment, the
// environment over the defaults. Only this package can implement Option.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithExporter sends the records to exp instead of the exporter chosen by
// OTEL_LOGS_EXPORTER.
// Precedence: this option, then OTEL_LOGS_EXPORTER (otlp or none), then
// OTLP over the protocol the OTEL_EXPORTER_OTLP_* variables name.
func WithExporter(exp sdklog.Exporter) Option {
	return optionFunc(func(c *config) { c.exporter = exp })
}

// WithResource sets the resource of every record.
// Default: tracing.Resource, the Lambda resource from Lambda's variables
// with OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME applied.
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
		if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv(EnvMaxQueueSize))); err == nil && n > 0 {
			c.maxQueue = n
		}
	}
	return c
}

// Configured reports whether OTEL_LOGS_EXPORTER asks for an exporter (it is
// set and not "none"). A runtime that exports logs only on request calls New
// only then, so a function without a collector does not try to reach one.
func Configured() bool {
	v := strings.TrimSpace(os.Getenv(EnvLogsExporter))
	return v != "" && v != "none"
}
