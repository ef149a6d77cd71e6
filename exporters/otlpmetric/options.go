package otlpmetric

import (
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters"
)

// EnvInstance names the variable that overrides the environment id
// (service.instance.id). [WithInstance] overrides it.
const EnvInstance = "LUMEN_METRICS_INSTANCE"

// DefaultRetry is the retry policy Lumen gives the default otlpmetrichttp
// exporter: short waits, since a flush has a budget of milliseconds.
// [WithHTTPOptions] can replace it with otlpmetrichttp.WithRetry.
var DefaultRetry = otlpmetrichttp.RetryConfig{
	Enabled:         true,
	InitialInterval: 10 * time.Millisecond,
	MaxInterval:     100 * time.Millisecond,
	MaxElapsedTime:  time.Second,
}

// config is what the options build.
type config struct {
	exporter    sdkmetric.Exporter
	httpOptions []otlpmetrichttp.Option
	resource    *resource.Resource
	instance    string
	drops       exporters.DropCounter
}

// Option configures an [Exporter].
type Option interface {
	apply(config) config
}

type optionFunc func(config) config

func (f optionFunc) apply(c config) config { return f(c) }

// WithExporter sets the sdk/metric Exporter the collected metrics go to,
// such as an otlpmetricgrpc or stdoutmetric exporter, instead of the default
// otlpmetrichttp exporter; [WithHTTPOptions] is then ignored. The Exporter
// is shut down with this one.
func WithExporter(exp sdkmetric.Exporter) Option {
	return optionFunc(func(c config) config { c.exporter = exp; return c })
}

// WithHTTPOptions adds options for the default otlpmetrichttp exporter,
// after Lumen's own (DefaultRetry), so they win. Its OTEL_EXPORTER_OTLP_*
// variables are read by otlpmetrichttp itself; options override them.
func WithHTTPOptions(opts ...otlpmetrichttp.Option) Option {
	return optionFunc(func(c config) config {
		c.httpOptions = append(c.httpOptions[:len(c.httpOptions):len(c.httpOptions)], opts...)
		return c
	})
}

// WithResource replaces the resource built from Lambda's variables.
func WithResource(res *resource.Resource) Option {
	return optionFunc(func(c config) config { c.resource = res; return c })
}

// WithInstance sets service.instance.id, the execution environment's id. It
// overrides LUMEN_METRICS_INSTANCE; the default is derived as the package
// documentation says. Two environments must never share an instance.
func WithInstance(instance string) Option {
	return optionFunc(func(c config) config { c.instance = instance; return c })
}

// WithDropCounter reports, for every export that fails, the number of data
// points (one per series) it carried.
func WithDropCounter(d exporters.DropCounter) Option {
	return optionFunc(func(c config) config { c.drops = d; return c })
}
