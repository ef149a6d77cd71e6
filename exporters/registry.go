package exporters

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Config is what a registered exporter is built from: the pipeline's shared
// parts and the settings the telemetry package read from the environment.
// Exporters read no environment variable themselves; those linked by import
// read their own LUMEN_<EXPORTER>_* variables through Getenv.
type Config struct {
	// Drops counts what the exporter could not deliver; may be nil.
	Drops DropCounter
	// Gatherer is the registry a Prometheus-speaking metrics exporter
	// delivers (/metrics, the Pushgateway, remote write).
	Gatherer prometheus.Gatherer
	// Series is the same metrics read without gathering, for exporters
	// that encode metrics themselves (OTLP, EMF); nil in a traces or logs
	// exporter's Config.
	Series SeriesSource
	// Resource is the one resource of the process's traces, metrics and
	// logs.
	Resource *resource.Resource
	// OTLP are the signal's OTEL_EXPORTER_OTLP_* settings.
	OTLP OTLPSettings
	// LogQueue bounds the records a log exporter holds between flushes
	// (OTEL_BLRP_*); zero in a traces or metrics exporter's Config.
	LogQueue Queue
	// FunctionName is the function's name (AWS_LAMBDA_FUNCTION_NAME).
	FunctionName string
	// Instance identifies this execution environment among the function's
	// (LUMEN_METRICS_INSTANCE, else the log stream's id); empty when
	// unknown.
	Instance string
	// XRayDaemonAddress is AWS_XRAY_DAEMON_ADDRESS.
	XRayDaemonAddress string
	// MetricsAddr is where a /metrics endpoint listens.
	MetricsAddr string
	// Namespace is the CloudWatch namespace of EMF metrics
	// (POWERTOOLS_METRICS_NAMESPACE); empty for the exporter's default.
	Namespace string
	// ServiceName is the service the function belongs to, for exporters
	// that label by it (the EMF service dimension).
	ServiceName string
	// Getenv returns the environment as the telemetry package read it.
	Getenv func(string) string
	// ErrorHandler receives errors that have no caller to return to.
	ErrorHandler func(error)
}

// Flusher is what a metrics or log exporter gives the runtime's flush point:
// ForceFlush after every invocation, Shutdown when the environment ends.
// Both honour their context.
type Flusher interface {
	ForceFlush(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

// LogExporter is a log exporter: a [Flusher] whose Handler receives the
// records to export.
type LogExporter interface {
	Flusher
	Handler() slog.Handler
}

// Factories build a registered exporter of their signal.
type (
	SpanExporterFactory    func(ctx context.Context, cfg Config) (sdktrace.SpanExporter, error)
	MetricsExporterFactory func(ctx context.Context, cfg Config) (Flusher, error)
	LogExporterFactory     func(ctx context.Context, cfg Config) (LogExporter, error)
)

// ErrNotLinked is matched by a [NotLinkedError].
var ErrNotLinked = errors.New("exporter not linked into this binary")

// NotLinkedError reports an exporter selected by name (OTEL_TRACES_EXPORTER,
// LUMEN_METRICS_EXPORTER, OTEL_LOGS_EXPORTER) whose package the function
// does not import. Exporters that need large dependencies (OTLP,
// Pushgateway, remote write) register themselves when imported, so that a
// function that does not use them neither downloads nor links them.
type NotLinkedError struct {
	Signal, Name string
	// Import is the package to import for the exporter, if Lumen knows it.
	Import string
}

func (e *NotLinkedError) Error() string {
	if e.Import == "" {
		return fmt.Sprintf("unknown %s exporter %q", e.Signal, e.Name)
	}
	return fmt.Sprintf("%s exporter %q is not linked: import _ %q in the function's main package", e.Signal, e.Name, e.Import)
}

// Unwrap returns [ErrNotLinked].
func (e *NotLinkedError) Unwrap() error { return ErrNotLinked }

// imports names the package that registers each exporter linked only when
// a function imports it.
var imports = map[string]string{
	"pushgateway": "github.com/lumen-rt/lumen/exporters/pushgateway",
	"remotewrite": "github.com/lumen-rt/lumen/exporters/remotewrite",
	"otlpgrpc":    "github.com/lumen-rt/lumen/exporters/otlpgrpc",
}

// GRPC is the name under which exporters/otlpgrpc registers its OTLP/gRPC
// exporters: the telemetry package looks it up for the otlp exporter when
// OTEL_EXPORTER_OTLP_PROTOCOL is grpc.
const GRPC = "otlpgrpc"

// registry holds the factories of one signal.
type registry[F any] struct {
	signal string
	mu     sync.RWMutex
	byName map[string]F
}

func (r *registry[F]) register(name string, f F) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byName == nil {
		r.byName = make(map[string]F)
	}
	r.byName[name] = f
}

func (r *registry[F]) lookup(name string) (F, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if f, ok := r.byName[name]; ok {
		return f, nil
	}
	var zero F
	return zero, &NotLinkedError{Signal: r.signal, Name: name, Import: imports[name]}
}

func (r *registry[F]) names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.byName))
	for n := range r.byName {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

var (
	spanExporters    = &registry[SpanExporterFactory]{signal: SignalTraces}
	metricsExporters = &registry[MetricsExporterFactory]{signal: SignalMetrics}
	logExporters     = &registry[LogExporterFactory]{signal: SignalLogs}
)

// RegisterSpanExporter makes a span exporter selectable by name. Exporter
// packages call it from init; a later registration of a name replaces the
// earlier one.
func RegisterSpanExporter(name string, f SpanExporterFactory) { spanExporters.register(name, f) }

// RegisterMetricsExporter makes a metrics exporter selectable by name.
func RegisterMetricsExporter(name string, f MetricsExporterFactory) {
	metricsExporters.register(name, f)
}

// RegisterLogExporter makes a log exporter selectable by name.
func RegisterLogExporter(name string, f LogExporterFactory) { logExporters.register(name, f) }

// LookupSpanExporter returns the factory registered as name, or a
// *[NotLinkedError].
func LookupSpanExporter(name string) (SpanExporterFactory, error) { return spanExporters.lookup(name) }

// LookupMetricsExporter returns the factory registered as name, or a
// *[NotLinkedError].
func LookupMetricsExporter(name string) (MetricsExporterFactory, error) {
	return metricsExporters.lookup(name)
}

// LookupLogExporter returns the factory registered as name, or a
// *[NotLinkedError].
func LookupLogExporter(name string) (LogExporterFactory, error) { return logExporters.lookup(name) }

// Registered lists the names registered for signal ([SignalTraces],
// [SignalMetrics] or [SignalLogs]), sorted.
func Registered(signal string) []string {
	switch signal {
	case SignalTraces:
		return spanExporters.names()
	case SignalMetrics:
		return metricsExporters.names()
	case SignalLogs:
		return logExporters.names()
	}
	return nil
}
