package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/platform"
)

// Flusher is one part of the pipeline the runtime's flush point calls after
// every invocation: ForceFlush bounded by ctx, and the name the flush
// metrics and errors use.
type Flusher interface {
	ForceFlush(ctx context.Context) error
	Name() string
}

// Starter is implemented by exporters that open something (a listener)
// before the first invocation. [Pipeline.Start] calls it.
type Starter interface {
	Start(ctx context.Context) error
}

// Pipeline is a process's telemetry, assembled from its environment:
// ecosystem types only, so that the runtime (or any other loop) uses it
// without knowing which exporters are configured.
//
// Build it with [New] (no I/O, no globals), open its listeners with
// [Pipeline.Start], make it the process's with [Pipeline.Install], flush it
// after each invocation and shut it down at the end.
type Pipeline struct {
	env        Env
	resource   *resource.Resource
	tp         trace.TracerProvider
	ownTP      bool // built here: Install sets it as the global provider
	propagator propagation.TextMapPropagator
	rec        *metrics.Recorder
	handler    slog.Handler // the slog default's handler, nil to leave it alone
	flushers   []Flusher
	starters   []Starter
	shutdowns  []func(context.Context) error
	platform   *platform.Platform // the Telemetry API subscriber, when on
	warnings   []error
	onError    func(error)

	started, installed atomic.Bool
	shutOnce           sync.Once
	shutErr            error
}

// New assembles the pipeline the environment describes (see [Variables]):
// one resource, a tracer provider with its exporters, a metrics recorder
// with its exporters, the Lambda log handler teed to the log exporters. It
// does no I/O and sets no process global. Invalid LUMEN_* values and
// exporters selected but not linked into the binary fail it, with an error
// naming the variable (and the import to add); the values the OpenTelemetry
// specification says to warn about are in [Pipeline.Warnings].
func New(ctx context.Context, opts ...Option) (*Pipeline, error) {
	var c config
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	env := LoadEnv()
	if c.env != nil {
		env = *c.env
	}
	p := &Pipeline{env: env, warnings: append([]error(nil), env.Warnings...)}
	p.onError = c.errorHandler
	if p.onError == nil {
		p.onError = p.logError
	}
	errs := append([]error(nil), env.Errs...)
	p.resource = env.Resource()

	if err := p.buildMetrics(ctx, &c); err != nil {
		errs = append(errs, err)
	}
	if err := p.buildTraces(ctx, &c); err != nil {
		errs = append(errs, err)
	}
	if err := p.buildLogs(ctx, &c); err != nil {
		errs = append(errs, err)
	}
	p.buildPlatform()
	if err := errors.Join(errs...); err != nil {
		_ = p.Shutdown(ctx)
		return nil, err
	}
	return p, nil
}

// config returns the exporters.Config of one signal.
func (p *Pipeline) exporterConfig(otlp exporters.OTLPSettings) exporters.Config {
	cfg := exporters.Config{
		Resource:          p.resource,
		OTLP:              otlp,
		FunctionName:      p.env.Lambda.FunctionName,
		Instance:          p.env.Instance(),
		XRayDaemonAddress: p.env.Lambda.XRayDaemonAddress,
		MetricsAddr:       p.env.PrometheusAddr,
		Namespace:         p.env.Powertools.MetricsNamespace,
		ServiceName:       p.env.Service(),
		Getenv:            p.env.Getenv,
		ErrorHandler:      p.onError,
	}
	if p.rec != nil {
		cfg.Drops, cfg.Gatherer = p.rec, p.rec.Gatherer()
		if s, ok := any(p.rec).(exporters.SeriesSource); ok {
			cfg.Series = s
		}
	}
	return cfg
}

// lookup returns the factory registered under registered for the exporter
// selected as name, turning a name that nothing registered into a warning
// (the specification: unknown values are ignored) and a known exporter
// whose package is not linked into an error naming the import.
func lookup[F any](p *Pipeline, variable, name, registered string, find func(string) (F, error)) (F, bool, error) {
	f, err := find(registered)
	if err == nil {
		return f, true, nil
	}
	var nl *exporters.NotLinkedError
	if errors.As(err, &nl) && nl.Import != "" {
		return f, false, &VarError{Variable: variable, Value: name, Err: err}
	}
	p.warnings = append(p.warnings, &VarError{Variable: variable, Value: name, Err: fmt.Errorf("ignored: %w", err)})
	return f, false, nil
}

// otlpName is the registered name that builds an OTLP exporter of the
// protocol s asks for.
func otlpName(name string, s exporters.OTLPSettings) string {
	if name == ExporterOTLP && s.Protocol == exporters.ProtocolGRPC {
		return exporters.GRPC
	}
	return name
}

func (p *Pipeline) add(f Flusher, shutdown func(context.Context) error) {
	if f != nil {
		p.flushers = append(p.flushers, f)
	}
	if shutdown != nil {
		p.shutdowns = append(p.shutdowns, shutdown)
	}
	if s, ok := f.(Starter); ok {
		p.starters = append(p.starters, s)
	}
}

// Env returns the environment the pipeline was built from.
func (p *Pipeline) Env() Env { return p.env }

// Resource returns the one resource of the pipeline's traces, metrics and
// logs.
func (p *Pipeline) Resource() *resource.Resource { return p.resource }

// TracerProvider returns the provider the runtime traces invocations on:
// the function's own, or the one built from the environment; nil when no
// spans are exported, so that none are made.
func (p *Pipeline) TracerProvider() trace.TracerProvider { return p.tp }

// Propagator returns the propagators OTEL_PROPAGATORS selects.
func (p *Pipeline) Propagator() propagation.TextMapPropagator { return p.propagator }

// Metrics returns the recorder the runtime records into; nil when no
// metrics are exported.
func (p *Pipeline) Metrics() *metrics.Recorder { return p.rec }

// LogHandler returns the handler slog's default logger gets: the Lambda log
// handler teed to the log exporters.
func (p *Pipeline) LogHandler() slog.Handler { return p.handler }

// Flushers returns what the flush point calls after every invocation, in
// order: traces, metrics, logs.
func (p *Pipeline) Flushers() []Flusher { return append([]Flusher(nil), p.flushers...) }

// Warnings returns the configuration values that were ignored, as the
// OpenTelemetry specification says to: unknown exporter or propagator
// names, malformed numbers. [Pipeline.Install] reports each once.
func (p *Pipeline) Warnings() []error { return append([]error(nil), p.warnings...) }

// Start opens what the pipeline's exporters open before the first
// invocation, such as the prometheus exporter's /metrics listener.
func (p *Pipeline) Start(ctx context.Context) error {
	if !p.started.CompareAndSwap(false, true) {
		return nil
	}
	var errs []error
	for _, s := range p.starters {
		errs = append(errs, s.Start(ctx))
	}
	return errors.Join(errs...)
}

// Install makes the pipeline the process's: the global tracer provider
// (unless the function brought its own), the global propagator, the
// OpenTelemetry error handler and slog's default logger (which the standard
// library's log package writes through). It reports each configuration
// warning once.
func (p *Pipeline) Install() {
	if !p.installed.CompareAndSwap(false, true) {
		return
	}
	if p.handler != nil {
		slog.SetDefault(slog.New(p.handler))
	}
	if p.ownTP {
		otel.SetTracerProvider(p.tp)
	}
	if p.propagator != nil && isGlobalDefault(otel.GetTextMapPropagator()) {
		otel.SetTextMapPropagator(p.propagator)
	}
	otel.SetErrorHandler(otel.ErrorHandlerFunc(p.onError))
	for _, w := range p.warnings {
		p.onError(fmt.Errorf("telemetry configuration: %w", w))
	}
}

// ForceFlush flushes every part of the pipeline, in order, within ctx.
func (p *Pipeline) ForceFlush(ctx context.Context) error {
	var errs []error
	for _, f := range p.flushers {
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, err)...)
		}
		if err := f.ForceFlush(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Shutdown sends what the exporters hold and stops them, within ctx. Only
// the first call does anything; it returns the same error to later calls.
func (p *Pipeline) Shutdown(ctx context.Context) error {
	p.shutOnce.Do(func() {
		var errs []error
		for _, s := range p.shutdowns {
			errs = append(errs, s(ctx))
		}
		p.shutErr = errors.Join(errs...)
	})
	return p.shutErr
}

// logError is the default error handler: a WARN line through the
// pipeline's handler, or slog's default logger without one.
func (p *Pipeline) logError(err error) {
	h := p.handler
	if h == nil {
		h = slog.Default().Handler()
	}
	slog.New(h).Warn("telemetry", logging.Err(err))
}

// stdout is where the Lambda log handler writes unless told otherwise.
var stdout = os.Stdout
