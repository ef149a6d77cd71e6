package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/otel"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/exporters/promhttp"
	"github.com/lumen-rt/lumen/exporters/traces"
	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/tracing"
)

// Environment variables [Start] reads to build its default telemetry, besides
// the standard OTEL_* ones (OTEL_TRACES_EXPORTER, OTEL_LOGS_EXPORTER,
// OTEL_PROPAGATORS, OTEL_TRACES_SAMPLER, OTEL_EXPORTER_OTLP_*, …).
const (
	// EnvMetricsExporter lists the metrics exporters, comma-separated: emf
	// (CloudWatch Embedded Metric Format on stdout, the default), prometheus
	// (a /metrics endpoint on LUMEN_METRICS_ADDR, for local runs), none, and
	// the exporters registered by imported packages (pushgateway,
	// remotewrite, otlp).
	EnvMetricsExporter = "LUMEN_METRICS_EXPORTER"
	// EnvMetricsAddr is the address of the prometheus exporter's /metrics
	// endpoint. Default: 127.0.0.1:9464.
	EnvMetricsAddr  = "LUMEN_METRICS_ADDR"
	envLogsExporter = "OTEL_LOGS_EXPORTER"
)

// WithoutDefaultLogger keeps slog's default logger as it is: [Start] does
// not install Lumen's Lambda log handler (package logging) as the default.
func WithoutDefaultLogger() Option {
	return func(o *options) { o.keepLogger = true }
}

// withDefaults returns the options Start adds in front of the user's: a
// tracer provider, a metrics recorder and their exporters, built from the
// environment, plus Lumen's log handler as slog's default. What the user's
// options already bring is not built again. An error here is reported to
// /runtime/init/error by Run.
func withDefaults(ctx context.Context, user []Option) []Option {
	var o options
	for _, opt := range user {
		opt(&o)
	}
	if o.noTelemetry {
		return user
	}
	var (
		out  []Option
		errs []error
	)
	rec := o.metrics
	if names := metricsExporterNames(); rec == nil && !slices.Equal(names, []string{"none"}) {
		// Go runtime and process metrics are worth their cost where metrics
		// are scraped or pushed, not in CloudWatch, which bills per metric;
		// EMF writes no buckets, so native histograms would be pure cost.
		emfOnly := slices.Equal(names, []string{"emf"})
		r, err := metrics.New(metrics.WithRuntimeCollectors(!emfOnly), metrics.WithNativeHistograms(!emfOnly))
		if err != nil {
			errs = append(errs, err)
		} else {
			rec = r
			out = append(out, WithMetrics(rec))
			opts, err := metricsExporters(ctx, rec, names)
			errs = append(errs, err)
			out = append(out, opts...)
		}
	}
	var drops exporters.DropCounter
	if rec != nil {
		drops = rec
	}
	if o.tracerProvider == nil {
		opts, err := defaultTracing(ctx, drops)
		errs = append(errs, err)
		out = append(out, opts...)
	}
	if !o.keepLogger {
		opts, err := defaultLogging(ctx, drops)
		errs = append(errs, err)
		out = append(out, opts...)
	}
	if err := errors.Join(errs...); err != nil {
		out = append(out, func(o *options) { o.setupErr = err })
	}
	return append(out, user...)
}

// defaultTracing builds a tracer provider exporting to OTEL_TRACES_EXPORTER,
// or, when that is unset, to the X-Ray daemon when Lambda runs one
// (AWS_XRAY_DAEMON_ADDRESS set), to OTLP when an OTLP endpoint is set, and
// nowhere otherwise, in which case no spans are made at all.
func defaultTracing(ctx context.Context, drops exporters.DropCounter) ([]Option, error) {
	prop, perr := tracing.PropagatorsFromEnv()
	otel.SetTextMapPropagator(prop)
	exps, err := traces.New(ctx, traces.WithDefault(defaultTraceExporter()), traces.WithDropCounter(drops))
	if err != nil || len(exps) == 0 {
		return nil, errors.Join(perr, err)
	}
	opts := make([]tracing.Option, 0, len(exps))
	for _, exp := range exps {
		opts = append(opts, tracing.WithExporter(exp))
	}
	tp, rerr := tracing.NewTracerProvider(opts...)
	if rerr != nil {
		otel.Handle(rerr) // a partly detected resource: the provider works
	}
	otel.SetTracerProvider(tp)
	return []Option{WithTracerProvider(tp), WithFlusher(namedFlusher{tp, "traces"}), withShutdown(tp.Shutdown)}, perr
}

func defaultTraceExporter() string {
	switch {
	case os.Getenv("AWS_XRAY_DAEMON_ADDRESS") != "":
		return "xray"
	case os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "":
		return "otlp"
	}
	return "none"
}

// metricsExporterNames returns LUMEN_METRICS_EXPORTER's names, emf when
// unset.
func metricsExporterNames() []string {
	if names := splitNames(os.Getenv(EnvMetricsExporter)); len(names) > 0 {
		return names
	}
	return []string{"emf"}
}

// metricsExporters builds the named exporters of rec's metrics.
func metricsExporters(ctx context.Context, rec *metrics.Recorder, names []string) ([]Option, error) {
	var (
		opts []Option
		errs []error
	)
	for _, name := range names {
		switch name {
		case "none":
		case "emf":
			exp, err := emf.New(rec.Gatherer(), emf.WithDropCounter(rec))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			opts = append(opts, WithFlusher(exp), withShutdown(exp.Shutdown))
		case "prometheus":
			srv, err := promhttp.New(rec.Gatherer(), os.Getenv(EnvMetricsAddr))
			if err == nil {
				err = srv.Start(ctx)
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			opts = append(opts, withShutdown(srv.Shutdown))
		default:
			f, err := exporters.LookupMetricsExporter(name)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", EnvMetricsExporter, err))
				continue
			}
			exp, err := f(ctx, exporters.Config{Drops: rec, Gatherer: rec.Gatherer()})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			opts = append(opts, WithFlusher(exp), withShutdown(exp.Shutdown))
		}
	}
	return opts, errors.Join(errs...)
}

// defaultLogging installs Lumen's Lambda log handler as slog's default, teed
// to the log exporters OTEL_LOGS_EXPORTER names.
func defaultLogging(ctx context.Context, drops exporters.DropCounter) ([]Option, error) {
	h := logging.NewHandler(os.Stdout)
	var (
		opts []Option
		errs []error
	)
	for _, name := range splitNames(os.Getenv(envLogsExporter)) {
		if name == "none" {
			continue
		}
		f, err := exporters.LookupLogExporter(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", envLogsExporter, err))
			continue
		}
		exp, err := f(ctx, exporters.Config{Drops: drops})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		h = slog.NewMultiHandler(h, exp.Handler())
		opts = append(opts, WithFlusher(exp), withShutdown(exp.Shutdown))
	}
	logger := slog.New(h)
	slog.SetDefault(logger)
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		logger.Warn("telemetry error", logging.Err(err))
	}))
	return opts, errors.Join(errs...)
}

// splitNames splits a comma-separated list, trimming and lower-casing names.
func splitNames(v string) []string {
	var out []string
	for n := range strings.SplitSeq(v, ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// withShutdown adds a function run after the final flush when Lambda shuts
// the environment down.
func withShutdown(f func(context.Context) error) Option {
	return func(o *options) { o.shutdowners = append(o.shutdowners, f) }
}

// namedFlusher names a flusher that has no Name method of its own, for the
// flush metrics and errors.
type namedFlusher struct {
	Flusher
	name string
}

// Name returns the flusher's name.
func (n namedFlusher) Name() string { return n.name }
