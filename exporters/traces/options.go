package traces

import (
	"context"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/console"
	"github.com/lumen-rt/lumen/exporters/xray"
)

// Factory builds the exporter for one name of OTEL_TRACES_EXPORTER.
type Factory func(ctx context.Context) (sdktrace.SpanExporter, error)

// Option configures [New].
type Option interface {
	apply(config) config
}

type optionFunc func(config) config

func (f optionFunc) apply(c config) config { return f(c) }

type config struct {
	names     []string
	hasNames  bool
	defaults  []string
	drops     exporters.DropCounter
	factories map[string]Factory
	xrayOpts  []xray.Option
	consOpts  []console.Option
}

// WithExporters sets the exporter names, overriding OTEL_TRACES_EXPORTER.
// No names means none.
func WithExporters(names ...string) Option {
	return optionFunc(func(c config) config {
		c.names, c.hasNames = names, true
		return c
	})
}

// WithDefault sets the names used when OTEL_TRACES_EXPORTER is unset or
// empty and [WithExporters] is not given. Default: otlp, as the OpenTelemetry
// specification says.
func WithDefault(names ...string) Option {
	return optionFunc(func(c config) config {
		c.defaults = names
		return c
	})
}

// WithDropCounter counts the spans each exporter fails to deliver, under
// the exporter's name (xray, console, a name given to [WithFactory], or the
// name a registered exporter counts under, such as otlp) and signal
// "traces". Default: none.
func WithDropCounter(dc exporters.DropCounter) Option {
	return optionFunc(func(c config) config {
		c.drops = dc
		return c
	})
}

// WithFactory adds an exporter name, or replaces a built-in or registered
// one. Its exporters are wrapped with [Counting].
func WithFactory(name string, f Factory) Option {
	return optionFunc(func(c config) config {
		m := make(map[string]Factory, len(c.factories)+1)
		for k, v := range c.factories {
			m[k] = v
		}
		m[name] = f
		c.factories = m
		return c
	})
}

// WithXRayOptions passes options to the xray exporter.
func WithXRayOptions(opts ...xray.Option) Option {
	return optionFunc(func(c config) config {
		c.xrayOpts = append(c.xrayOpts[:len(c.xrayOpts):len(c.xrayOpts)], opts...)
		return c
	})
}

// WithConsoleOptions passes options to the console exporter.
func WithConsoleOptions(opts ...console.Option) Option {
	return optionFunc(func(c config) config {
		c.consOpts = append(c.consOpts[:len(c.consOpts):len(c.consOpts)], opts...)
		return c
	})
}
