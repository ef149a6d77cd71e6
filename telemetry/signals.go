package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/tracing"
)

// isGlobalDefault reports whether v is one of the OpenTelemetry API's
// global defaults (the delegating provider or propagator it returns before
// anything is installed), as opposed to a value the function installed.
func isGlobalDefault(v any) bool {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t == nil || t.PkgPath() == "go.opentelemetry.io/otel/internal/global"
}

// buildMetrics makes the recorder (unless the function brought one) and the
// exporters OTEL_METRICS_EXPORTER selects.
func (p *Pipeline) buildMetrics(ctx context.Context, c *config) error {
	p.rec = c.recorder
	names := p.env.Metrics
	if c.noMetrics || (p.rec == nil && len(names) == 0) {
		p.rec = nil
		return nil
	}
	if p.rec == nil {
		// The Go runtime and process collectors are worth their cost where
		// metrics are scraped or pushed, not in CloudWatch, which bills per
		// metric; EMF writes no buckets, so native histograms would be pure
		// cost there.
		emfOnly := slices.Equal(names, []string{ExporterEMF})
		opts := []metrics.Option{
			metrics.WithFunctionName(p.env.Lambda.FunctionName),
			metrics.WithMaxMemory(int64(p.env.Lambda.MemoryMB) << 20),
			metrics.WithRuntimeCollectors(!emfOnly),
			metrics.WithNativeHistograms(!emfOnly),
			metrics.WithErrorHandler(p.onError),
		}
		if v := p.env.PricePerGBSecond; v > 0 {
			opts = append(opts, metrics.WithPricePerGBSecond(v))
		}
		if v := p.env.PricePerRequest; v > 0 {
			opts = append(opts, metrics.WithPricePerRequest(v))
		}
		rec, err := metrics.New(opts...)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		p.rec = rec
	}
	var errs []error
	for _, name := range names {
		reg := otlpName(name, p.env.OTLP.Metrics)
		f, ok, err := lookup(p, EnvMetricsExporter, name, reg, exporters.LookupMetricsExporter)
		if !ok {
			errs = append(errs, err)
			continue
		}
		exp, err := f(ctx, p.exporterConfig(p.env.OTLP.Metrics))
		if err != nil {
			errs = append(errs, fmt.Errorf("metrics exporter %s: %w", name, err))
			continue
		}
		p.add(named(exp, name), exp.Shutdown)
	}
	return errors.Join(errs...)
}

// buildTraces makes the tracer provider: the function's own, or one whose
// span exporters OTEL_TRACES_EXPORTER selects.
func (p *Pipeline) buildTraces(ctx context.Context, c *config) error {
	tp := c.tracerProvider
	if tp == nil && !c.ignoreGlobal {
		if g := otel.GetTracerProvider(); !isGlobalDefault(g) {
			tp = g
		}
	}
	names := p.env.Traces
	p.propagator, p.warnings = appendWarnings(p.env.propagator(slices.Contains(names, ExporterXRay)))(p.warnings)
	if tp != nil {
		// The function's own provider: Lumen traces on it and flushes it,
		// and builds nothing that would split its traces.
		p.tp = tp
		if f, ok := tp.(interface{ ForceFlush(context.Context) error }); ok {
			p.add(named(f, "traces"), nil)
		}
		return nil
	}
	if len(names) == 0 {
		return nil
	}
	var drops exporters.DropCounter
	if p.rec != nil {
		drops = p.rec
	}
	opts := []tracing.Option{tracing.WithResource(p.resource)}
	var procs []*tracing.FlushProcessor
	var errs []error
	for _, name := range names {
		reg := otlpName(name, p.env.OTLP.Traces)
		f, ok, err := lookup(p, EnvTracesExporter, name, reg, exporters.LookupSpanExporter)
		if !ok {
			errs = append(errs, err)
			continue
		}
		cfg := p.exporterConfig(p.env.OTLP.Traces)
		cfg.Drops = drops
		exp, err := f(ctx, cfg)
		if err != nil {
			errs = append(errs, fmt.Errorf("span exporter %s: %w", name, err))
			continue
		}
		proc := p.spanProcessor(name, exp, drops)
		procs = append(procs, proc)
		opts = append(opts, tracing.WithSpanProcessor(proc))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	sampler, warnings := p.env.sampler()
	p.warnings = append(p.warnings, warnings...)
	opts = append(opts, tracing.WithSampler(sampler),
		tracing.WithTracerProviderOptions(sdktrace.WithRawSpanLimits(p.env.spanLimits())))
	sdk, err := tracing.NewTracerProvider(opts...)
	if err != nil {
		return fmt.Errorf("traces: %w", err)
	}
	p.tp, p.ownTP = sdk, true
	p.add(spanFlusher{sdk: sdk, procs: procs}, sdk.Shutdown)
	return nil
}

// spanFlusher flushes the pipeline's tracer provider and tells a deferring
// flush strategy when one of its span buffers is half full.
type spanFlusher struct {
	sdk   *sdktrace.TracerProvider
	procs []*tracing.FlushProcessor
}

func (f spanFlusher) ForceFlush(ctx context.Context) error { return f.sdk.ForceFlush(ctx) }
func (f spanFlusher) Name() string                         { return "traces" }

// HalfFull reports whether a span processor's buffer is half full.
func (f spanFlusher) HalfFull() bool {
	for _, p := range f.procs {
		if p.HalfFull() {
			return true
		}
	}
	return false
}

// spanProcessor puts exp behind the processor the flush point drains: spans
// wait in a bounded buffer (OTEL_BSP_MAX_QUEUE_SIZE) for the next flush, with
// no timer of their own, and leave in requests of at most
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE spans.
func (p *Pipeline) spanProcessor(name string, exp sdktrace.SpanExporter, drops exporters.DropCounter) *tracing.FlushProcessor {
	opts := []tracing.FlushProcessorOption{tracing.WithExporterName(name)}
	if drops != nil {
		opts = append(opts, tracing.WithFlushDropCounter(drops))
	}
	if n := p.env.SpanQueue.MaxSize; n > 0 {
		opts = append(opts, tracing.WithMaxBufferedSpans(n))
	}
	if n := p.env.SpanQueue.MaxExportBatch; n > 0 {
		opts = append(opts, tracing.WithMaxExportBatch(n))
	}
	return tracing.NewFlushProcessor(exp, opts...)
}

// buildLogs makes the Lambda log handler and tees it to the log exporters
// OTEL_LOGS_EXPORTER selects.
func (p *Pipeline) buildLogs(ctx context.Context, c *config) error {
	var handlers []slog.Handler
	logOpts, warnings := p.env.LoggingOptions()
	p.warnings = append(p.warnings, warnings...)
	if !c.noLogHandler {
		w := c.logWriter
		if w == nil {
			w = stdout
		}
		handlers = append(handlers, logging.NewHandler(w, logOpts...))
	}
	var errs []error
	for _, name := range p.env.Logs {
		if name == ExporterConsole {
			continue // the Lambda log handler is the console
		}
		reg := otlpName(name, p.env.OTLP.Logs)
		f, ok, err := lookup(p, EnvLogsExporter, name, reg, exporters.LookupLogExporter)
		if !ok {
			errs = append(errs, err)
			continue
		}
		cfg := p.exporterConfig(p.env.OTLP.Logs)
		cfg.LogQueue = p.env.LogQueue
		exp, err := f(ctx, cfg)
		if err != nil {
			errs = append(errs, fmt.Errorf("log exporter %s: %w", name, err))
			continue
		}
		handlers = append(handlers, logging.Wrap(exp.Handler(), logOpts...))
		p.add(named(exp, name), exp.Shutdown)
	}
	switch len(handlers) {
	case 0:
	case 1:
		p.handler = handlers[0]
	default:
		p.handler = slog.NewMultiHandler(handlers...)
	}
	return errors.Join(errs...)
}

// appendWarnings adapts a (value, warnings) result to append the warnings
// to a list.
func appendWarnings[T any](v T, w []error) func([]error) (T, []error) {
	return func(list []error) (T, []error) { return v, append(list, w...) }
}

// namedFlusher gives a flusher the name it was selected under, unless it
// has its own.
type namedFlusher struct {
	f    interface{ ForceFlush(context.Context) error }
	name string
}

func named(f interface{ ForceFlush(context.Context) error }, name string) Flusher {
	if n, ok := f.(Flusher); ok {
		return n
	}
	return namedFlusher{f: f, name: name}
}

func (n namedFlusher) ForceFlush(ctx context.Context) error { return n.f.ForceFlush(ctx) }
func (n namedFlusher) Name() string                         { return n.name }

// Start starts the wrapped flusher when it has a Start method.
func (n namedFlusher) Start(ctx context.Context) error {
	if s, ok := n.f.(Starter); ok {
		return s.Start(ctx)
	}
	return nil
}
