package traces

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/console"
	"github.com/lumen-rt/lumen/exporters/xray"
)

// EnvExporter is the variable [New] reads the exporter names from.
const EnvExporter = "OTEL_TRACES_EXPORTER"

// The exporter names Lumen knows. xray, console and none are built in; otlp
// is registered by package exporters/otlp when the function imports it.
const (
	NameOTLP    = "otlp"
	NameXRay    = "xray"
	NameConsole = "console"
	NameNone    = "none"
)

// ErrUnknownExporter reports a name in OTEL_TRACES_EXPORTER (or
// [WithExporters]) that no factory handles: not built in, not given with
// [WithFactory], and not registered by an imported package. It is
// [exporters.ErrNotLinked]; the [*ConfigError] wraps the
// [*exporters.NotLinkedError], which names the package to import when Lumen
// knows it (exporters/otlp for otlp).
var ErrUnknownExporter = exporters.ErrNotLinked

// ConfigError reports an exporter name [New] cannot build.
type ConfigError struct {
	// Var is the environment variable, "option" for a code option, or
	// "default" for a name from [WithDefault].
	Var string
	// Value is the offending name.
	Value string
	// Err is the cause, a *[exporters.NotLinkedError] (which matches
	// [ErrUnknownExporter]).
	Err error
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("traces: %s=%q: %v", e.Var, e.Value, e.Err)
}

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// New builds one span exporter per configured name, in the order given.
//
// Deprecated: the telemetry package selects the exporters of every signal
// from the environment, OTLP included (telemetry.New); this package's
// selection of span exporters alone, which builds registered exporters with
// an exporters.Config that carries no OTLP settings, remains for code that
// calls it.
//
// New builds them
// duplicates and "none" are skipped, so an empty result means "export
// nothing". Names come from [WithExporters], else OTEL_TRACES_EXPORTER, else
// [WithDefault] (default: otlp, as the OpenTelemetry specification says).
//
// A name is built by, in order: a factory given with [WithFactory]; the
// built-in xray and console exporters; a factory registered with
// [exporters.RegisterSpanExporter] by an imported package (otlp by
// exporters/otlp), called with an [exporters.Config] carrying the
// [WithDropCounter] counter. Exporters of WithFactory and console are
// wrapped with [Counting]; xray and registered exporters count their own
// drops, so no span is counted twice.
//
// If any name fails, the exporters already built are shut down and a
// [*ConfigError] (a name nothing builds) or the factory's error is
// returned.
func New(ctx context.Context, opts ...Option) ([]sdktrace.SpanExporter, error) {
	cfg := config{defaults: []string{NameOTLP}}
	for _, o := range opts {
		cfg = o.apply(cfg)
	}
	names, source := cfg.names, "option"
	if !cfg.hasNames {
		source = EnvExporter
		names = splitNames(os.Getenv(EnvExporter))
		if len(names) == 0 {
			names, source = cfg.defaults, "default"
		}
	}
	var (
		out  []sdktrace.SpanExporter
		seen = map[string]bool{}
	)
	fail := func(err error) ([]sdktrace.SpanExporter, error) {
		errs := []error{err}
		for _, e := range out {
			errs = append(errs, e.Shutdown(ctx))
		}
		return nil, errors.Join(errs...)
	}
	for _, raw := range names {
		name := strings.TrimSpace(raw)
		if name == "" || name == NameNone || seen[name] {
			continue
		}
		seen[name] = true
		exp, err := cfg.build(ctx, name, source)
		if err != nil {
			return fail(err)
		}
		out = append(out, exp)
	}
	return out, nil
}

func splitNames(v string) []string {
	var names []string
	for n := range strings.SplitSeq(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

func (cfg config) build(ctx context.Context, name, source string) (sdktrace.SpanExporter, error) {
	if f, ok := cfg.factories[name]; ok {
		exp, err := f(ctx)
		if err != nil {
			return nil, fmt.Errorf("traces: exporter %q: %w", name, err)
		}
		return Counting(exp, name, cfg.drops), nil
	}
	switch name {
	case NameXRay:
		opts := cfg.xrayOpts
		if cfg.drops != nil {
			opts = append(opts[:len(opts):len(opts)], xray.WithDropCounter(cfg.drops))
		}
		exp, err := xray.New(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("traces: exporter %q: %w", name, err)
		}
		return exp, nil
	case NameConsole:
		return Counting(console.New(cfg.consOpts...), name, cfg.drops), nil
	}
	f, err := exporters.LookupSpanExporter(name)
	if err != nil {
		return nil, &ConfigError{Var: source, Value: name, Err: err}
	}
	exp, err := f(ctx, exporters.Config{Drops: cfg.drops})
	if err != nil {
		return nil, fmt.Errorf("traces: exporter %q: %w", name, err)
	}
	return exp, nil
}
