package telemetry

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lumen-rt/lumen/exporters"
)

// Env is the process environment as Lumen reads it: every OTEL_*, LUMEN_*,
// AWS_LAMBDA_* (and Powertools) variable the runtime and its telemetry use,
// read once by [ReadEnv] and parsed into typed values. [Variables] lists
// them with their defaults and precedence; the README's configuration table
// is the same list.
//
// Invalid values never go unnoticed: where the OpenTelemetry specification
// says to warn and carry on (an unknown enum value, a malformed number), the
// value is ignored and a [*VarError] is added to Warnings; Lumen's own
// LUMEN_* variables are strict, and their errors, in Errs, fail the init.
type Env struct {
	// SDKDisabled is OTEL_SDK_DISABLED=true: no spans, metrics or log
	// export; the Lambda log handler on stdout stays.
	SDKDisabled bool

	// Traces, Metrics and Logs are the exporter names selected for each
	// signal (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER or its alias
	// LUMEN_METRICS_EXPORTER, OTEL_LOGS_EXPORTER): lower-cased, without
	// duplicates or "none", the defaults of [Variables] applied when the
	// variable is unset; empty when the signal exports nothing.
	Traces, Metrics, Logs []string

	// OTLP holds the OTEL_EXPORTER_OTLP_* settings of each signal, the
	// signal-specific variables already resolved over the generic ones.
	OTLP struct{ Traces, Metrics, Logs exporters.OTLPSettings }

	// ServiceName is OTEL_SERVICE_NAME.
	ServiceName string
	// ResourceAttributes are OTEL_RESOURCE_ATTRIBUTES, percent-decoded, in
	// order.
	ResourceAttributes []KeyValue
	// Propagators are OTEL_PROPAGATORS' names, lower-cased; nil when unset.
	Propagators []string
	// Sampler and SamplerArg are OTEL_TRACES_SAMPLER (lower-cased) and
	// OTEL_TRACES_SAMPLER_ARG.
	Sampler, SamplerArg string
	// Limits are the OTEL_*_LIMIT variables; 0 means unset.
	Limits Limits
	// SpanQueue and LogQueue are OTEL_BSP_* and OTEL_BLRP_*: the most items
	// buffered between flushes and exported per request; 0 means unset.
	SpanQueue, LogQueue Queue
	// PrometheusAddr is where the prometheus metrics exporter serves
	// /metrics: LUMEN_METRICS_ADDR, else OTEL_EXPORTER_PROMETHEUS_HOST and
	// OTEL_EXPORTER_PROMETHEUS_PORT (default localhost:9464).
	PrometheusAddr string

	// Lambda holds what Lambda tells the environment.
	Lambda Lambda
	// Powertools holds the POWERTOOLS_* variables Lumen honours.
	Powertools Powertools

	// FlushStrategy is LUMEN_FLUSH_STRATEGY, unparsed (the runtime parses
	// it); FlushBudget is LUMEN_FLUSH_BUDGET, 0 when unset.
	FlushStrategy string
	FlushBudget   time.Duration
	// MetricsInstance is LUMEN_METRICS_INSTANCE: the id that tells this
	// execution environment's metric series from the others'.
	MetricsInstance string
	// PlatformTelemetry is LUMEN_PLATFORM_TELEMETRY=true: subscribe to the
	// Lambda Telemetry API for Lambda's own report of each invocation.
	PlatformTelemetry bool
	// PricePerGBSecond and PricePerRequest are LUMEN_PRICE_PER_GB_SECOND
	// and LUMEN_PRICE_PER_REQUEST, in USD, for the estimated cost; 0 when
	// unset (the metrics package's defaults apply).
	PricePerGBSecond, PricePerRequest float64

	// Warnings are the values ignored as the specification says to; Errs
	// the invalid values that fail the init. Both hold *VarError values.
	Warnings, Errs []error

	getenv func(string) string
}

// Lambda is what Lambda tells an execution environment through its
// variables.
type Lambda struct {
	RuntimeAPI         string // AWS_LAMBDA_RUNTIME_API
	MaxConcurrency     int    // AWS_LAMBDA_MAX_CONCURRENCY, 0 when unset
	InitializationType string // AWS_LAMBDA_INITIALIZATION_TYPE
	FunctionName       string // AWS_LAMBDA_FUNCTION_NAME
	FunctionVersion    string // AWS_LAMBDA_FUNCTION_VERSION
	MemoryMB           int    // AWS_LAMBDA_FUNCTION_MEMORY_SIZE, 0 when unset
	Region             string // AWS_REGION
	LogGroup           string // AWS_LAMBDA_LOG_GROUP_NAME
	LogStream          string // AWS_LAMBDA_LOG_STREAM_NAME
	LogFormat          string // AWS_LAMBDA_LOG_FORMAT
	LogLevel           string // AWS_LAMBDA_LOG_LEVEL
	XRayDaemonAddress  string // AWS_XRAY_DAEMON_ADDRESS
}

// Powertools are the Powertools for AWS Lambda variables Lumen honours, so
// that a function moved from Powertools keeps its configuration.
type Powertools struct {
	ServiceName      string  // POWERTOOLS_SERVICE_NAME
	LogLevel         string  // POWERTOOLS_LOG_LEVEL, used when AWS_LAMBDA_LOG_LEVEL is unset
	LoggerSampleRate float64 // POWERTOOLS_LOGGER_SAMPLE_RATE
	SampleRateSet    bool
	MetricsNamespace string // POWERTOOLS_METRICS_NAMESPACE
}

// Limits are the OpenTelemetry attribute and span limits; 0 means unset.
type Limits struct {
	AttributeValueLength, AttributeCount         int // OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT, OTEL_ATTRIBUTE_COUNT_LIMIT
	SpanAttributeValueLength, SpanAttributeCount int // OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT, OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT
	SpanEventCount, SpanLinkCount                int // OTEL_SPAN_EVENT_COUNT_LIMIT, OTEL_SPAN_LINK_COUNT_LIMIT
	EventAttributeCount, LinkAttributeCount      int // OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT, OTEL_LINK_ATTRIBUTE_COUNT_LIMIT
}

// Queue bounds what a signal buffers between flushes.
type Queue = exporters.Queue

// KeyValue is one resource attribute of OTEL_RESOURCE_ATTRIBUTES.
type KeyValue struct{ Key, Value string }

// VarError reports a variable whose value Lumen cannot use.
type VarError struct {
	Variable, Value string
	Err             error
}

func (e *VarError) Error() string {
	return fmt.Sprintf("%s=%q: %v", e.Variable, e.Value, e.Err)
}

// Unwrap returns the parse error.
func (e *VarError) Unwrap() error { return e.Err }

// LoadEnv reads the process environment: [ReadEnv] of os.Getenv. It is the
// one place Lumen's library code reads its variables.
func LoadEnv() Env { return ReadEnv(os.Getenv) }

// ReadEnv reads every variable of [Variables] through getenv, once.
func ReadEnv(getenv func(string) string) Env {
	r := reader{getenv: getenv}
	e := Env{getenv: r.get}
	e.SDKDisabled = r.boolean(EnvSDKDisabled)
	e.OTLP.Traces = r.otlp(exporters.SignalTraces)
	e.OTLP.Metrics = r.otlp(exporters.SignalMetrics)
	e.OTLP.Logs = r.otlp(exporters.SignalLogs)
	e.OTLP.Metrics.Temporality = r.enum(EnvOTLPTemporality, "cumulative", "cumulative", "delta", "lowmemory")
	e.Lambda = r.lambda()
	metricsVar := EnvMetricsExporter
	if r.names(EnvMetricsExporter) == nil && r.names(EnvLumenMetricsExporter) != nil {
		metricsVar = EnvLumenMetricsExporter
	} else if alias := r.names(EnvLumenMetricsExporter); alias != nil && !slices.Equal(alias, r.names(EnvMetricsExporter)) {
		r.warn(EnvLumenMetricsExporter, r.get(EnvLumenMetricsExporter),
			fmt.Errorf("ignored: %s takes precedence", EnvMetricsExporter))
	}
	e.Traces = r.selection(EnvTracesExporter, e.traceDefault())
	e.Metrics = r.selection(metricsVar, e.metricsDefault())
	e.Logs = r.selection(EnvLogsExporter, e.logsDefault())
	if e.SDKDisabled {
		e.Traces, e.Metrics, e.Logs = nil, nil, nil
	}
	e.ServiceName = strings.TrimSpace(r.get(EnvServiceName))
	e.ResourceAttributes = r.resourceAttributes()
	e.Propagators = r.names(EnvPropagators)
	e.Sampler = strings.ToLower(strings.TrimSpace(r.get(EnvTracesSampler)))
	e.SamplerArg = strings.TrimSpace(r.get(EnvTracesSamplerArg))
	e.Limits = r.limits()
	e.SpanQueue = Queue{MaxSize: r.positive(EnvBSPMaxQueueSize), MaxExportBatch: r.positive(EnvBSPMaxExportBatchSize)}
	e.LogQueue = Queue{MaxSize: r.positive(EnvBLRPMaxQueueSize), MaxExportBatch: r.positive(EnvBLRPMaxExportBatchSize)}
	e.PrometheusAddr = r.prometheusAddr()
	e.Powertools = r.powertools()
	e.FlushStrategy = strings.TrimSpace(r.get(EnvFlushStrategy))
	e.FlushBudget = r.budget(EnvFlushBudget)
	e.MetricsInstance = strings.TrimSpace(r.get(EnvMetricsInstance))
	e.PlatformTelemetry = r.boolean(EnvPlatformTelemetry)
	e.PricePerGBSecond = r.price(EnvPricePerGBSecond)
	e.PricePerRequest = r.price(EnvPricePerRequest)
	e.Warnings, e.Errs = r.warnings, r.errs
	return e
}

// Getenv returns the value of a variable as [ReadEnv] saw it. Exporters
// linked by import (the Pushgateway, remote write) read their own
// LUMEN_<EXPORTER>_* variables through it, and nowhere else.
func (e Env) Getenv(name string) string {
	if e.getenv == nil {
		return ""
	}
	return e.getenv(name)
}
