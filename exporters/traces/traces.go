package traces

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters/console"
	"github.com/lumen-rt/lumen/exporters/xray"
)

// Environment variables read by [New] (the OTLP exporters read the other
// OTEL_EXPORTER_OTLP_* variables themselves).
const (
	EnvExporter          = "OTEL_TRACES_EXPORTER"
	EnvOTLPProtocol      = "OTEL_EXPORTER_OTLP_PROTOCOL"
	EnvOTLPTraceProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
)

// The exporter names Lumen knows.
const (
	NameOTLP    = "otlp"
	NameXRay    = "xray"
	NameConsole = "console"
	NameNone    = "none"
)

// The OTLP protocols.
const (
	ProtocolHTTP = "http/protobuf"
	ProtocolGRPC = "grpc"
)

var (
	// ErrUnknownExporter reports a name in OTEL_TRACES_EXPORTER (or
	// [WithExporters]) that no factory handles.
	ErrUnknownExporter = errors.New("unknown traces exporter")
	// ErrInvalidProtocol reports an OTLP protocol other than
	// http/protobuf and grpc.
	ErrInvalidProtocol = errors.New("invalid OTLP protocol, want http/protobuf or grpc")
)

// ConfigError reports a configuration value [New] cannot use.
type ConfigError struct {
	// Var is the environment variable, or "option" for a code option.
	Var string
	// Value is the offending value.
	Value string
	// Err is ErrUnknownExporter or ErrInvalidProtocol.
	Err error
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("traces: %s=%q: %v", e.Var, e.Value, e.Err)
}

// Unwrap returns the sentinel error.
func (e *ConfigError) Unwrap() error { return e.Err }

// New builds one span exporter per configured name, in the order given;
// duplicates and "none" are skipped, so an empty result means "export
// nothing". Names come from [WithExporters], else OTEL_TRACES_EXPORTER, else
// [WithDefault] (default: otlp). Each exporter is wrapped with [Counting]
// (xray counts its own drops precisely instead). If any name fails, the
// exporters already built are shut down and a [*ConfigError] or the
// factory's error is returned.
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
	case NameOTLP:
		exp, err := newOTLP(ctx)
		if err != nil {
			return nil, err
		}
		return Counting(exp, name, cfg.drops), nil
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
	return nil, &ConfigError{Var: source, Value: name, Err: ErrUnknownExporter}
}
