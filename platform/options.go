package platform

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
)

// Defaults of the options.
const (
	// DefaultListenAddress is where the listener binds: the execution
	// environment's own name, on a port the system picks, as Lambda's
	// documentation and the AWS extensions do (see [WithListenAddress]
	// for where the name does not resolve).
	DefaultListenAddress = DestinationHost + ":0"
	// DefaultQueueSize is how many events wait for the next flush at most.
	// An invocation brings two or three (platform.runtimeDone and
	// platform.report, the initReport once).
	DefaultQueueSize = 1024
	// DefaultTrackedInvocations is how many recent invocations a report
	// can find its invocation among.
	DefaultTrackedInvocations = 256
)

// ErrInvalidOption is wrapped by every error about an option's value,
// returned by [Platform.Subscribe].
var ErrInvalidOption = errors.New("invalid platform option")

// Option configures a [Platform].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is the resolved options.
type config struct {
	listenAddr    string
	listenSet     bool
	schemaVersion string
	maxItems      int
	maxBytes      int
	timeout       time.Duration
	logs          func(Log)
	queueSize     int
	tracked       int
	drops         exporters.DropCounter
	handleError   func(error)
	tracer        trace.Tracer
	sink          MetricsSink
	errs          []error
}

func newConfig(opts []Option) *config {
	c := &config{
		listenAddr:    DefaultListenAddress,
		schemaVersion: SchemaVersion,
		maxItems:      DefaultMaxItems,
		maxBytes:      DefaultMaxBytes,
		timeout:       DefaultTimeout,
		queueSize:     DefaultQueueSize,
		tracked:       DefaultTrackedInvocations,
		handleError: func(err error) {
			slog.Warn("lumen: platform telemetry", "error", err)
		},
	}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

func (c *config) invalid(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...))
}

// WithListenAddress sets the host:port the listener binds. Default:
// [DefaultListenAddress], or "127.0.0.1:0" where sandbox.localdomain does
// not resolve (outside Lambda: the Runtime Interface Emulator delivers to
// 127.0.0.1); an address set here is used as it is. The subscription
// always names [DestinationHost] and the bound port, as Lambda requires.
func WithListenAddress(addr string) Option {
	return optionFunc(func(c *config) { c.listenAddr, c.listenSet = addr, true })
}

// WithSchemaVersion sets the event schema subscribed to: [SchemaVersion]
// (the default) or [SchemaVersion20221213].
func WithSchemaVersion(v string) Option {
	return optionFunc(func(c *config) {
		if v != SchemaVersion && v != SchemaVersion20221213 {
			c.invalid("schema version %q: want %s or %s", v, SchemaVersion, SchemaVersion20221213)
			return
		}
		c.schemaVersion = v
	})
}

// WithBuffering sets how Lambda batches events: at most maxItems events or
// maxBytes bytes, or whatever timeout gathered. Defaults:
// [DefaultMaxItems], [DefaultMaxBytes], [DefaultTimeout]; values outside
// the Telemetry API's limits ([MinMaxItems] … [MaxTimeout]) are invalid.
func WithBuffering(maxItems, maxBytes int, timeout time.Duration) Option {
	return optionFunc(func(c *config) {
		switch {
		case maxItems < MinMaxItems || maxItems > MaxMaxItems:
			c.invalid("buffering maxItems %d: want %d to %d", maxItems, MinMaxItems, MaxMaxItems)
		case maxBytes < MinMaxBytes || maxBytes > MaxMaxBytes:
			c.invalid("buffering maxBytes %d: want %d to %d", maxBytes, MinMaxBytes, MaxMaxBytes)
		case timeout < MinTimeout || timeout > MaxTimeout || timeout%time.Millisecond != 0:
			c.invalid("buffering timeout %v: want whole milliseconds from %v to %v", timeout, MinTimeout, MaxTimeout)
		default:
			c.maxItems, c.maxBytes, c.timeout = maxItems, maxBytes, timeout
		}
	})
}

// WithLogs subscribes to the function's and the extensions' log lines too
// (off by default: Lambda already sends them to CloudWatch, and each costs
// the listener a copy) and hands each to handle at the flush point.
func WithLogs(handle func(Log)) Option {
	return optionFunc(func(c *config) { c.logs = handle })
}

// WithQueueSize bounds the events that wait for the next flush. Default:
// [DefaultQueueSize]. Beyond it events are dropped and counted.
func WithQueueSize(n int) Option {
	return optionFunc(func(c *config) {
		if n < 1 {
			c.invalid("queue size %d: want at least 1", n)
			return
		}
		c.queueSize = n
	})
}

// WithTrackedInvocations bounds how many recent invocations
// [Platform.Started] remembers for the reports to come. Default:
// [DefaultTrackedInvocations]; with concurrent workers, keep it well above
// their number.
func WithTrackedInvocations(n int) Option {
	return optionFunc(func(c *config) {
		if n < 1 {
			c.invalid("tracked invocations %d: want at least 1", n)
			return
		}
		c.tracked = n
	})
}

// WithDropCounter counts what is lost: events the queue had no room for
// and events that could not be read, as items of the signals they would
// have become (traces with a tracer provider, metrics with a sink), under
// the exporter name [Name].
func WithDropCounter(dc exporters.DropCounter) Option {
	return optionFunc(func(c *config) { c.drops = dc })
}

// WithErrorHandler receives every background error: batches that could
// not be read, events dropped, a listener that failed. Default: a warning
// through slog's default logger.
func WithErrorHandler(handle func(error)) Option {
	return optionFunc(func(c *config) {
		if handle != nil {
			c.handleError = handle
		}
	})
}

// WithTracerProvider records each report as spans in its invocation's
// trace, with a tracer named [InstrumentationName]. Default: no spans.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) {
		if tp != nil {
			c.tracer = tp.Tracer(InstrumentationName)
		}
	})
}

// WithMetricsSink hands each event to sink at the flush point. Default:
// none.
func WithMetricsSink(sink MetricsSink) Option {
	return optionFunc(func(c *config) { c.sink = sink })
}
