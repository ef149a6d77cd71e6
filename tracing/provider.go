package tracing

import (
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// EnvTracesSampler is the standard variable that names the sampler.
//
// Deprecated: the telemetry package reads it (telemetry.EnvTracesSampler)
// and passes the sampler with [WithSampler].
const EnvTracesSampler = "OTEL_TRACES_SAMPLER"

// Option configures [NewTracerProvider].
type Option interface {
	apply(config) config
}

type optionFunc func(config) config

func (f optionFunc) apply(c config) config { return f(c) }

type config struct {
	resource   *resource.Resource
	sampler    sdktrace.Sampler
	idGen      sdktrace.IDGenerator
	processors []sdktrace.SpanProcessor
	extra      []sdktrace.TracerProviderOption
}

// WithSpanProcessor registers a span processor, in order after those given
// before it. Use it for a synchronous exporter in tests
// (sdktrace.NewSimpleSpanProcessor) or a processor of your own.
func WithSpanProcessor(sp sdktrace.SpanProcessor) Option {
	return optionFunc(func(c config) config {
		if sp != nil {
			c.processors = append(c.processors, sp)
		}
		return c
	})
}

// WithExporter registers exp behind a batch span processor, so ending a span
// never waits for the network; the runtime's flush point drains it with
// ForceFlush after each invocation. Options for the batch processor go in
// opts.
func WithExporter(exp sdktrace.SpanExporter, opts ...sdktrace.BatchSpanProcessorOption) Option {
	return optionFunc(func(c config) config {
		if exp != nil {
			c.processors = append(c.processors, sdktrace.NewBatchSpanProcessor(exp, opts...))
		}
		return c
	})
}

// WithResource sets the resource. Default: [NewResource] of an empty
// [Environment] (the SDK's attributes only); the telemetry package passes the
// Lambda resource it builds once for every signal.
func WithResource(r *resource.Resource) Option {
	return optionFunc(func(c config) config {
		c.resource = r
		return c
	})
}

// WithSampler sets the sampler. Default: [Sampler](nil).
func WithSampler(s sdktrace.Sampler) Option {
	return optionFunc(func(c config) config {
		c.sampler = s
		return c
	})
}

// WithIDGenerator replaces the default X-Ray-compatible [IDGenerator].
func WithIDGenerator(g sdktrace.IDGenerator) Option {
	return optionFunc(func(c config) config {
		c.idGen = g
		return c
	})
}

// WithTracerProviderOptions passes SDK options through (span limits, raw
// span processors, …). They are applied last and win over the others.
func WithTracerProviderOptions(opts ...sdktrace.TracerProviderOption) Option {
	return optionFunc(func(c config) config {
		c.extra = append(c.extra, opts...)
		return c
	})
}

// NewTracerProvider returns an OpenTelemetry SDK tracer provider set up for
// Lambda. Defaults:
//
//   - resource: [NewResource] of an empty [Environment]; pass the Lambda
//     resource with [WithResource] (the telemetry package does);
//   - ids: [IDGenerator], whose trace ids X-Ray accepts;
//   - sampler: [Sampler](nil), which honours the X-Ray header's decision
//     (Sampled=0 yields no spans); [WithSampler] replaces it (the telemetry
//     package passes the one OTEL_TRACES_SAMPLER names);
//   - processors: none, so nothing is exported until [WithExporter] or
//     [WithSpanProcessor] adds one.
//
// The error is always nil; it remains for callers written when the resource
// was detected here. The caller owns the provider: ForceFlush it at the
// flush point and Shutdown it on exit.
func NewTracerProvider(opts ...Option) (*sdktrace.TracerProvider, error) {
	var c config
	for _, o := range opts {
		c = o.apply(c)
	}
	if c.resource == nil {
		c.resource = NewResource(Environment{})
	}
	if c.idGen == nil {
		c.idGen = IDGenerator{}
	}
	sdkOpts := make([]sdktrace.TracerProviderOption, 0, 3+len(c.processors)+len(c.extra))
	sdkOpts = append(sdkOpts, sdktrace.WithResource(c.resource), sdktrace.WithIDGenerator(c.idGen))
	if c.sampler == nil {
		c.sampler = Sampler(nil)
	}
	sdkOpts = append(sdkOpts, sdktrace.WithSampler(c.sampler))
	for _, sp := range c.processors {
		sdkOpts = append(sdkOpts, sdktrace.WithSpanProcessor(sp))
	}
	sdkOpts = append(sdkOpts, c.extra...)
	return sdktrace.NewTracerProvider(sdkOpts...), nil
}
