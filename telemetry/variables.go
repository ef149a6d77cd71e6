package telemetry

// The variables [ReadEnv] reads.
const (
	EnvSDKDisabled          = "OTEL_SDK_DISABLED"
	EnvTracesExporter       = "OTEL_TRACES_EXPORTER"
	EnvMetricsExporter      = "OTEL_METRICS_EXPORTER"
	EnvLumenMetricsExporter = "LUMEN_METRICS_EXPORTER"
	EnvLogsExporter         = "OTEL_LOGS_EXPORTER"
	EnvServiceName          = "OTEL_SERVICE_NAME"
	EnvResourceAttributes   = "OTEL_RESOURCE_ATTRIBUTES"
	EnvPropagators          = "OTEL_PROPAGATORS"
	EnvTracesSampler        = "OTEL_TRACES_SAMPLER"
	EnvTracesSamplerArg     = "OTEL_TRACES_SAMPLER_ARG"
	EnvOTLPTemporality      = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
	EnvPrometheusHost       = "OTEL_EXPORTER_PROMETHEUS_HOST"
	EnvPrometheusPort       = "OTEL_EXPORTER_PROMETHEUS_PORT"
	EnvMetricsAddr          = "LUMEN_METRICS_ADDR"
	EnvMetricsInstance      = "LUMEN_METRICS_INSTANCE"
	EnvFlushStrategy        = "LUMEN_FLUSH_STRATEGY"
	EnvFlushBudget          = "LUMEN_FLUSH_BUDGET"
	EnvPlatformTelemetry    = "LUMEN_PLATFORM_TELEMETRY"
	EnvPricePerGBSecond     = "LUMEN_PRICE_PER_GB_SECOND"
	EnvPricePerRequest      = "LUMEN_PRICE_PER_REQUEST"

	EnvBSPMaxQueueSize        = "OTEL_BSP_MAX_QUEUE_SIZE"
	EnvBSPMaxExportBatchSize  = "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"
	EnvBLRPMaxQueueSize       = "OTEL_BLRP_MAX_QUEUE_SIZE"
	EnvBLRPMaxExportBatchSize = "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE"

	EnvAttributeValueLengthLimit     = "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"
	EnvAttributeCountLimit           = "OTEL_ATTRIBUTE_COUNT_LIMIT"
	EnvSpanAttributeValueLengthLimit = "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT"
	EnvSpanAttributeCountLimit       = "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"
	EnvSpanEventCountLimit           = "OTEL_SPAN_EVENT_COUNT_LIMIT"
	EnvSpanLinkCountLimit            = "OTEL_SPAN_LINK_COUNT_LIMIT"
	EnvEventAttributeCountLimit      = "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT"
	EnvLinkAttributeCountLimit       = "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT"

	EnvRuntimeAPI         = "AWS_LAMBDA_RUNTIME_API"
	EnvMaxConcurrency     = "AWS_LAMBDA_MAX_CONCURRENCY"
	EnvInitializationType = "AWS_LAMBDA_INITIALIZATION_TYPE"
	EnvFunctionName       = "AWS_LAMBDA_FUNCTION_NAME"
	EnvFunctionVersion    = "AWS_LAMBDA_FUNCTION_VERSION"
	EnvFunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
	EnvRegion             = "AWS_REGION"
	EnvLogGroupName       = "AWS_LAMBDA_LOG_GROUP_NAME"
	EnvLogStreamName      = "AWS_LAMBDA_LOG_STREAM_NAME"
	EnvLogFormat          = "AWS_LAMBDA_LOG_FORMAT"
	EnvLogLevel           = "AWS_LAMBDA_LOG_LEVEL"
	EnvXRayDaemonAddress  = "AWS_XRAY_DAEMON_ADDRESS"

	EnvPowertoolsServiceName      = "POWERTOOLS_SERVICE_NAME"
	EnvPowertoolsLogLevel         = "POWERTOOLS_LOG_LEVEL"
	EnvPowertoolsLoggerSampleRate = "POWERTOOLS_LOGGER_SAMPLE_RATE"
	EnvPowertoolsMetricsNamespace = "POWERTOOLS_METRICS_NAMESPACE"
)

// The OTLP variables of each signal: OTEL_EXPORTER_OTLP_<X> and
// OTEL_EXPORTER_OTLP_<SIGNAL>_<X>, where X is one of these.
const (
	OTLPEndpoint    = "ENDPOINT"
	OTLPHeaders     = "HEADERS"
	OTLPProtocol    = "PROTOCOL"
	OTLPCompression = "COMPRESSION"
	OTLPTimeout     = "TIMEOUT"
)

// Variable documents one variable Lumen reads.
type Variable struct {
	// Name is the variable, or a pattern such as
	// OTEL_EXPORTER_OTLP_{,TRACES_,METRICS_,LOGS_}ENDPOINT.
	Name string
	// Default is the value used when it is unset, in words.
	Default string
	// Meaning says what it does and what takes precedence over it.
	Meaning string
}

// Variables lists every variable Lumen reads, in the order of the README's
// configuration table, which is generated from (and tested against) it.
// Code options override variables, which override defaults.
func Variables() []Variable {
	return []Variable{
		{EnvSDKDisabled, "false", "`true` turns spans, metrics and log export off; the Lambda log handler on stdout stays"},
		{EnvTracesExporter, "`otlp` if an OTLP traces endpoint is set, else `xray` if `AWS_XRAY_DAEMON_ADDRESS` is set, else `none`", "`otlp`, `xray`, `console`, `none`, comma-separated, any case; a user's own TracerProvider replaces them"},
		{EnvMetricsExporter, "`otlp` if an OTLP metrics endpoint is set, else `emf`", "`otlp`, `emf` (CloudWatch EMF on stdout), `prometheus` (/metrics), `console`, `pushgateway`, `remotewrite`, `none`"},
		{EnvLumenMetricsExporter, "unset", "alias of `OTEL_METRICS_EXPORTER`, which wins when both are set"},
		{EnvLogsExporter, "`otlp` if an OTLP logs endpoint is set, else `console`", "`otlp`, `console`, `none`; the Lambda log handler on stdout is always on (`console`)"},
		{"OTEL_EXPORTER_OTLP_{,TRACES_,METRICS_,LOGS_}ENDPOINT", "unset (no OTLP)", "base URL (`/v1/<signal>` appended) or, per signal, the full URL; the signal's variable wins"},
		{"OTEL_EXPORTER_OTLP_{,TRACES_,METRICS_,LOGS_}PROTOCOL", "`http/protobuf`", "`http/protobuf` (built in), `grpc` (needs `import _ \"github.com/lumen-rt/lumen/exporters/otlpgrpc\"`); `http/json` is sent as `http/protobuf`"},
		{"OTEL_EXPORTER_OTLP_{,TRACES_,METRICS_,LOGS_}HEADERS", "none", "`key=value,…`, percent-decoded"},
		{"OTEL_EXPORTER_OTLP_{,TRACES_,METRICS_,LOGS_}COMPRESSION", "none", "`gzip` or `none`"},
		{"OTEL_EXPORTER_OTLP_{,TRACES_,METRICS_,LOGS_}TIMEOUT", "10000", "milliseconds per export request, never past the flush budget"},
		{EnvOTLPTemporality, "`cumulative`", "`cumulative`, `delta` or `lowmemory`"},
		{EnvServiceName, "the function name", "`service.name`; wins over `OTEL_RESOURCE_ATTRIBUTES` and `POWERTOOLS_SERVICE_NAME`"},
		{EnvResourceAttributes, "none", "`key=value,…` added to the one Lambda resource of traces, metrics and logs"},
		{EnvPropagators, "`tracecontext,baggage`, plus `xray` when spans go to X-Ray", "`tracecontext`, `baggage`, `b3`, `b3multi`, `jaeger`, `xray`, `xray-lambda`, `ottrace`, `none`; unknown names are warned about and skipped"},
		{EnvTracesSampler, "follow the X-Ray header's `Sampled`", "`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`"},
		{EnvTracesSamplerArg, "1.0", "the ratio of the `traceidratio` samplers"},
		{"OTEL_{ATTRIBUTE,SPAN_ATTRIBUTE}_{VALUE_LENGTH,COUNT}_LIMIT, OTEL_SPAN_{EVENT,LINK}_COUNT_LIMIT, OTEL_{EVENT,LINK}_ATTRIBUTE_COUNT_LIMIT", "the SDK's (128 attributes, no length limit)", "span and attribute limits"},
		{"OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2048, 512", "spans buffered between flushes (beyond: dropped and counted) and spans per export request"},
		{"OTEL_BLRP_MAX_QUEUE_SIZE, OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "2048, 512", "log records buffered between flushes and records per export request"},
		{"OTEL_EXPORTER_PROMETHEUS_HOST, OTEL_EXPORTER_PROMETHEUS_PORT", "`localhost`, `9464`", "where the `prometheus` metrics exporter serves /metrics"},
		{EnvMetricsAddr, "unset", "`host:port` of /metrics; wins over the two above"},
		{EnvMetricsInstance, "the id in `AWS_LAMBDA_LOG_STREAM_NAME`, else random", "tells this execution environment's series from the others' (`service.instance.id`, Pushgateway and remote-write `instance`)"},
		{EnvFlushStrategy, "`adaptive`", "`adaptive` (after every invocation until 10 in a row arrive within 100 ms of the previous one's end, then once a second or when a span, log or platform buffer is half full), `end` (after every invocation), `periodic,<ms>`; invalid: init error"},
		{EnvFlushBudget, "`1s`", "longest the flush point may take after an invocation (Go duration), never past the deadline; invalid: init error"},
		{EnvPlatformTelemetry, "false", "`true` subscribes the runtime's internal extension to the Lambda Telemetry API: Lambda's report of each invocation (billed duration, memory, init, response latency, how it ended) as `faas_*` metrics and a `lambda.report` span in its trace"},
		{"LUMEN_PRICE_PER_GB_SECOND, LUMEN_PRICE_PER_REQUEST", "Lambda's list prices: 0.0000166667 (x86_64) or 0.0000133334 (arm64), 0.0000002", "USD, for `faas_estimated_cost_usd_total`; invalid: init error"},
		{EnvRuntimeAPI, "set by Lambda", "the Runtime API address"},
		{EnvMaxConcurrency, "1", "workers serving invocations at once (Lambda Managed Instances)"},
		{EnvInitializationType, "set by Lambda", "`on-demand` counts cold starts; `provisioned-concurrency`, `snap-start` and `lambda-managed-instances` (environments initialised ahead of their invocations) do not"},
		{"AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_REGION, AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME", "set by Lambda", "the resource (`faas.*`, `cloud.*`), the span name, the `faas_name` label"},
		{"AWS_LAMBDA_LOG_FORMAT, AWS_LAMBDA_LOG_LEVEL", "`Text`, `INFO`", "Lambda's log controls, honoured by the log handler"},
		{EnvXRayDaemonAddress, "set by Lambda", "where the `xray` exporter sends"},
		{EnvPowertoolsServiceName, "unset", "the logs' `service` key and the EMF `service` dimension; `OTEL_SERVICE_NAME` wins"},
		{EnvPowertoolsLogLevel, "unset", "the log level when `AWS_LAMBDA_LOG_LEVEL` is unset"},
		{EnvPowertoolsLoggerSampleRate, "0", "share of invocations logged at DEBUG"},
		{EnvPowertoolsMetricsNamespace, "`Lumen`", "the EMF namespace"},
		{"LUMEN_PUSHGATEWAY_{URL,JOB,GROUPING,USERNAME,PASSWORD,BEARER_TOKEN,HEADERS}", "unset", "the `pushgateway` metrics exporter (linked by `import _ \"github.com/lumen-rt/lumen/exporters/pushgateway\"`); see its package doc"},
		{"LUMEN_REMOTE_WRITE_{URL,JOB,LABELS,USERNAME,PASSWORD,BEARER_TOKEN,HEADERS}", "unset", "the `remotewrite` metrics exporter (linked by `import _ \"github.com/lumen-rt/lumen/exporters/remotewrite\"`); see its package doc"},
	}
}
