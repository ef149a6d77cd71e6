package otlpmetric

import (
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

// EnvInstance names the variable that overrides the environment id
// (service.instance.id). [WithInstance] overrides it.
const EnvInstance = envconfig.EnvInstance

// DefaultRetry is the retry policy Lumen gives the default exporter (either
// protocol): short waits, since a flush has a budget of milliseconds.
// [WithHTTPOptions] can replace it with otlpmetrichttp.WithRetry,
// [WithGRPCOptions] with otlpmetricgrpc.WithRetry.
var DefaultRetry = otlpmetrichttp.RetryConfig{
	Enabled:         true,
	InitialInterval: 10 * time.Millisecond,
	MaxInterval:     100 * time.Millisecond,
	MaxElapsedTime:  time.Second,
}

// config is what the options build.
type config struct {
	exporter    sdkmetric.Exporter
	protocol    string
	httpOptions []otlpmetrichttp.Option
	grpcOptions []otlpmetricgrpc.Option
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
// such as a stdoutmetric exporter, instead of the default OTLP exporter;
// [WithProtocol], [WithHTTPOptions] and [WithGRPCOptions] are then ignored.
// The Exporter is shut down with this one.
func WithExporter(exp sdkmetric.Exporter) Option {
	return optionFunc(func(c config) config { c.exporter = exp; return c })
}

// WithProtocol sets the OTLP protocol of the default exporter:
// [ProtocolHTTP] or [ProtocolGRPC]. It overrides
// OTEL_EXPORTER_OTLP_METRICS_PROTOCOL and OTEL_EXPORTER_OTLP_PROTOCOL;
// the default is http/protobuf.
func WithProtocol(protocol string) Option {
	return optionFunc(func(c config) config { c.protocol = protocol; return c })
}

// WithHTTPOptions adds options for the default exporter when its protocol
// is http/protobuf (otlpmetrichttp), after Lumen's own (DefaultRetry), so
// they win. Its OTEL_EXPORTER_OTLP_* variables are read by otlpmetrichttp
// itself; options override them.
func WithHTTPOptions(opts ...otlpmetrichttp.Option) Option {
	return optionFunc(func(c config) config {
		c.httpOptions = append(c.httpOptions[:len(c.httpOptions):len(c.httpOptions)], opts...)
		return c
	})
}

// WithGRPCOptions adds options for the default exporter when its protocol
// is grpc (otlpmetricgrpc), after Lumen's own (DefaultRetry), so they win.
// Its OTEL_EXPORTER_OTLP_* variables are read by otlpmetricgrpc itself;
// options override them.
func WithGRPCOptions(opts ...otlpmetricgrpc.Option) Option {
	return optionFunc(func(c config) config {
		c.grpcOptions = append(c.grpcOptions[:len(c.grpcOptions):len(c.grpcOptions)], opts...)
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
