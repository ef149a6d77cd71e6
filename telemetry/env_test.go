package telemetry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/telemetry"
)

// env returns a getenv over vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// vars returns the variable names of errs, which are *VarError values.
func vars(t *testing.T, errs []error) []string {
	t.Helper()
	var out []string
	for _, err := range errs {
		var ve *telemetry.VarError
		require.True(t, errors.As(err, &ve), "%v is a *VarError", err)
		out = append(out, ve.Variable+"="+ve.Value)
	}
	return out
}

func TestReadEnvSelection(t *testing.T) {
	tests := []struct {
		name                  string
		vars                  map[string]string
		traces, metrics, logs []string
		warnings              []string
	}{
		{name: "nothing set: no spans, EMF metrics, console logs",
			metrics: []string{"emf"}, logs: []string{"console"}},
		{name: "inside Lambda with active tracing: X-Ray",
			vars:   map[string]string{"AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000"},
			traces: []string{"xray"}, metrics: []string{"emf"}, logs: []string{"console"}},
		{name: "an OTLP endpoint alone sends every signal over OTLP",
			vars:   map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000"},
			traces: []string{"otlp"}, metrics: []string{"otlp"}, logs: []string{"otlp"}},
		{name: "a traces endpoint sends only traces over OTLP",
			vars:   map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://localhost:4318/v1/traces"},
			traces: []string{"otlp"}, metrics: []string{"emf"}, logs: []string{"console"}},
		{name: "names in any case, repeats and spaces",
			vars:   map[string]string{"OTEL_TRACES_EXPORTER": " OTLP, xray ,otlp", "OTEL_METRICS_EXPORTER": "Prometheus", "OTEL_LOGS_EXPORTER": "OTLP,Console"},
			traces: []string{"otlp", "xray"}, metrics: []string{"prometheus"}, logs: []string{"otlp", "console"}},
		{name: "none alone exports nothing",
			vars:   map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "NONE", "OTEL_LOGS_EXPORTER": "none", "AWS_XRAY_DAEMON_ADDRESS": "x:1"},
			traces: []string{}, metrics: []string{}, logs: []string{}},
		{name: "none next to others is ignored, with a warning",
			vars:   map[string]string{"OTEL_TRACES_EXPORTER": "none,console"},
			traces: []string{"console"}, metrics: []string{"emf"}, logs: []string{"console"},
			warnings: []string{"OTEL_TRACES_EXPORTER=none,console"}},
		{name: "LUMEN_METRICS_EXPORTER is an alias",
			vars:    map[string]string{"LUMEN_METRICS_EXPORTER": "pushgateway,emf"},
			metrics: []string{"pushgateway", "emf"}, logs: []string{"console"}},
		{name: "OTEL_METRICS_EXPORTER wins over the alias, with a warning",
			vars:    map[string]string{"LUMEN_METRICS_EXPORTER": "pushgateway", "OTEL_METRICS_EXPORTER": "otlp"},
			metrics: []string{"otlp"}, logs: []string{"console"},
			warnings: []string{"LUMEN_METRICS_EXPORTER=pushgateway"}},
		{name: "the same value in both is not a conflict",
			vars:    map[string]string{"LUMEN_METRICS_EXPORTER": "emf", "OTEL_METRICS_EXPORTER": "EMF"},
			metrics: []string{"emf"}, logs: []string{"console"}},
		{name: "OTEL_SDK_DISABLED turns every signal off",
			vars:   map[string]string{"OTEL_SDK_DISABLED": "TRUE", "OTEL_TRACES_EXPORTER": "otlp", "AWS_XRAY_DAEMON_ADDRESS": "x:1"},
			traces: nil, metrics: nil, logs: nil},
		{name: "OTEL_SDK_DISABLED with another value is false, with a warning",
			vars:    map[string]string{"OTEL_SDK_DISABLED": "yes"},
			metrics: []string{"emf"}, logs: []string{"console"},
			warnings: []string{"OTEL_SDK_DISABLED=yes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := telemetry.ReadEnv(env(tt.vars))
			require.Equal(t, tt.traces, e.Traces, "traces")
			require.Equal(t, tt.metrics, e.Metrics, "metrics")
			require.Equal(t, tt.logs, e.Logs, "logs")
			require.Equal(t, tt.warnings, vars(t, e.Warnings))
			require.Empty(t, e.Errs)
		})
	}
}

func TestReadEnvOTLP(t *testing.T) {
	tests := []struct {
		name                  string
		vars                  map[string]string
		traces, metrics, logs exporters.OTLPSettings
		warnings              []string
	}{
		{name: "defaults",
			traces:  exporters.OTLPSettings{Protocol: "http/protobuf"},
			metrics: exporters.OTLPSettings{Protocol: "http/protobuf", Temporality: "cumulative"},
			logs:    exporters.OTLPSettings{Protocol: "http/protobuf"}},
		{name: "generic settings apply to every signal; the signal's own win",
			vars: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":                       "http://collector:4318",
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":                "https://traces.example/v1/t",
				"OTEL_EXPORTER_OTLP_HEADERS":                        "api-key=secret%20value,tenant=a",
				"OTEL_EXPORTER_OTLP_LOGS_HEADERS":                   "x=1",
				"OTEL_EXPORTER_OTLP_COMPRESSION":                    "GZIP",
				"OTEL_EXPORTER_OTLP_METRICS_COMPRESSION":            "none",
				"OTEL_EXPORTER_OTLP_TIMEOUT":                        "2500",
				"OTEL_EXPORTER_OTLP_LOGS_TIMEOUT":                   "300",
				"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL":               "GRPC",
				"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "Delta",
			},
			traces: exporters.OTLPSettings{Endpoint: "https://traces.example/v1/t", SignalURL: true, Protocol: "http/protobuf",
				Headers: map[string]string{"api-key": "secret value", "tenant": "a"}, Compression: "gzip", Timeout: 2500 * time.Millisecond},
			metrics: exporters.OTLPSettings{Endpoint: "http://collector:4318", Protocol: "grpc",
				Headers: map[string]string{"api-key": "secret value", "tenant": "a"}, Timeout: 2500 * time.Millisecond, Temporality: "delta"},
			logs: exporters.OTLPSettings{Endpoint: "http://collector:4318", Protocol: "http/protobuf",
				Headers: map[string]string{"x": "1"}, Compression: "gzip", Timeout: 300 * time.Millisecond}},
		{name: "invalid values are warned about and ignored",
			vars: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":                       "collector:4318",
				"OTEL_EXPORTER_OTLP_PROTOCOL":                       "http/json",
				"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL":                "carrier-pigeon",
				"OTEL_EXPORTER_OTLP_HEADERS":                        "novalue", // warnings never show header values: they hold API keys
				"OTEL_EXPORTER_OTLP_COMPRESSION":                    "zstd",
				"OTEL_EXPORTER_OTLP_TIMEOUT":                        "-5",
				"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "sometimes",
			},
			traces:  exporters.OTLPSettings{Protocol: "http/protobuf"},
			metrics: exporters.OTLPSettings{Protocol: "http/protobuf", Temporality: "cumulative"},
			logs:    exporters.OTLPSettings{Protocol: "http/protobuf"},
			warnings: []string{
				// Each signal resolves the generic variables for itself.
				"OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=carrier-pigeon",
				"OTEL_EXPORTER_OTLP_HEADERS=(redacted)", "OTEL_EXPORTER_OTLP_COMPRESSION=zstd", "OTEL_EXPORTER_OTLP_TIMEOUT=-5",
				"OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318", "OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
				"OTEL_EXPORTER_OTLP_HEADERS=(redacted)", "OTEL_EXPORTER_OTLP_COMPRESSION=zstd", "OTEL_EXPORTER_OTLP_TIMEOUT=-5",
				"OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318", "OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
				"OTEL_EXPORTER_OTLP_HEADERS=(redacted)", "OTEL_EXPORTER_OTLP_COMPRESSION=zstd", "OTEL_EXPORTER_OTLP_TIMEOUT=-5",
				"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=sometimes",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := telemetry.ReadEnv(env(tt.vars))
			require.Equal(t, tt.traces, e.OTLP.Traces, "traces")
			require.Equal(t, tt.metrics, e.OTLP.Metrics, "metrics")
			require.Equal(t, tt.logs, e.OTLP.Logs, "logs")
			require.ElementsMatch(t, tt.warnings, vars(t, e.Warnings))
		})
	}
}

func TestReadEnvValues(t *testing.T) {
	e := telemetry.ReadEnv(env(map[string]string{
		"OTEL_SERVICE_NAME":                      " checkout ",
		"OTEL_RESOURCE_ATTRIBUTES":               "deployment.environment.name=prod,team=pay%2Cments",
		"OTEL_PROPAGATORS":                       "TraceContext,xray-lambda",
		"OTEL_TRACES_SAMPLER":                    "ParentBased_TraceIdRatio",
		"OTEL_TRACES_SAMPLER_ARG":                "0.25",
		"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT":      "256",
		"OTEL_ATTRIBUTE_COUNT_LIMIT":             "64",
		"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT": "512",
		"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT":        "32",
		"OTEL_SPAN_EVENT_COUNT_LIMIT":            "10",
		"OTEL_SPAN_LINK_COUNT_LIMIT":             "11",
		"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT":       "12",
		"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT":        "13",
		"OTEL_BSP_MAX_QUEUE_SIZE":                "100",
		"OTEL_BSP_MAX_EXPORT_BATCH_SIZE":         "50",
		"OTEL_BLRP_MAX_QUEUE_SIZE":               "200",
		"OTEL_BLRP_MAX_EXPORT_BATCH_SIZE":        "20",
		"OTEL_EXPORTER_PROMETHEUS_HOST":          "0.0.0.0",
		"OTEL_EXPORTER_PROMETHEUS_PORT":          "9100",
		"LUMEN_METRICS_INSTANCE":                 "env-7",
		"LUMEN_FLUSH_STRATEGY":                   "adaptive",
		"LUMEN_FLUSH_BUDGET":                     "750ms",
		"AWS_LAMBDA_RUNTIME_API":                 "127.0.0.1:9001",
		"AWS_LAMBDA_MAX_CONCURRENCY":             "8",
		"AWS_LAMBDA_INITIALIZATION_TYPE":         "on-demand",
		"AWS_LAMBDA_FUNCTION_NAME":               "pay",
		"AWS_LAMBDA_FUNCTION_VERSION":            "7",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE":        "1024",
		"AWS_REGION":                             "eu-west-1",
		"AWS_LAMBDA_LOG_GROUP_NAME":              "/aws/lambda/pay",
		"AWS_LAMBDA_LOG_STREAM_NAME":             "2026/12/07/[7]0123abcd",
		"AWS_LAMBDA_LOG_FORMAT":                  "JSON",
		"AWS_LAMBDA_LOG_LEVEL":                   "WARN",
		"AWS_XRAY_DAEMON_ADDRESS":                "169.254.79.129:2000",
		"POWERTOOLS_SERVICE_NAME":                "payments",
		"POWERTOOLS_LOG_LEVEL":                   "DEBUG",
		"POWERTOOLS_LOGGER_SAMPLE_RATE":          "0.1",
		"POWERTOOLS_METRICS_NAMESPACE":           "Shop",
	}))
	require.Empty(t, e.Warnings)
	require.Empty(t, e.Errs)
	require.Equal(t, "checkout", e.ServiceName)
	require.Equal(t, []telemetry.KeyValue{{Key: "deployment.environment.name", Value: "prod"}, {Key: "team", Value: "pay,ments"}}, e.ResourceAttributes)
	require.Equal(t, []string{"tracecontext", "xray-lambda"}, e.Propagators)
	require.Equal(t, "parentbased_traceidratio", e.Sampler)
	require.Equal(t, "0.25", e.SamplerArg)
	require.Equal(t, telemetry.Limits{AttributeValueLength: 256, AttributeCount: 64, SpanAttributeValueLength: 512,
		SpanAttributeCount: 32, SpanEventCount: 10, SpanLinkCount: 11, EventAttributeCount: 12, LinkAttributeCount: 13}, e.Limits)
	require.Equal(t, telemetry.Queue{MaxSize: 100, MaxExportBatch: 50}, e.SpanQueue)
	require.Equal(t, telemetry.Queue{MaxSize: 200, MaxExportBatch: 20}, e.LogQueue)
	require.Equal(t, "0.0.0.0:9100", e.PrometheusAddr)
	require.Equal(t, "env-7", e.MetricsInstance)
	require.Equal(t, "env-7", e.Instance())
	require.Equal(t, "adaptive", e.FlushStrategy)
	require.Equal(t, 750*time.Millisecond, e.FlushBudget)
	require.Equal(t, telemetry.Lambda{
		RuntimeAPI: "127.0.0.1:9001", MaxConcurrency: 8, InitializationType: "on-demand", FunctionName: "pay",
		FunctionVersion: "7", MemoryMB: 1024, Region: "eu-west-1", LogGroup: "/aws/lambda/pay",
		LogStream: "2026/12/07/[7]0123abcd", LogFormat: "JSON", LogLevel: "WARN", XRayDaemonAddress: "169.254.79.129:2000",
	}, e.Lambda)
	require.Equal(t, telemetry.Powertools{ServiceName: "payments", LogLevel: "DEBUG", LoggerSampleRate: 0.1,
		SampleRateSet: true, MetricsNamespace: "Shop"}, e.Powertools)
	require.Equal(t, "checkout", e.Service())
	require.Equal(t, "Shop", e.Getenv("POWERTOOLS_METRICS_NAMESPACE"), "exporters read their own variables through the snapshot")
}

func TestReadEnvInvalid(t *testing.T) {
	e := telemetry.ReadEnv(env(map[string]string{
		"OTEL_RESOURCE_ATTRIBUTES":        "novalue,a=b",
		"OTEL_SPAN_EVENT_COUNT_LIMIT":     "many",
		"OTEL_BSP_MAX_QUEUE_SIZE":         "-1",
		"OTEL_EXPORTER_PROMETHEUS_PORT":   "99999",
		"AWS_LAMBDA_MAX_CONCURRENCY":      "lots",
		"POWERTOOLS_LOGGER_SAMPLE_RATE":   "2",
		"LUMEN_FLUSH_BUDGET":              "0s",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1GB",
	}))
	require.ElementsMatch(t, []string{
		"OTEL_RESOURCE_ATTRIBUTES=novalue,a=b", "OTEL_SPAN_EVENT_COUNT_LIMIT=many", "OTEL_BSP_MAX_QUEUE_SIZE=-1",
		"OTEL_EXPORTER_PROMETHEUS_PORT=99999", "AWS_LAMBDA_MAX_CONCURRENCY=lots", "POWERTOOLS_LOGGER_SAMPLE_RATE=2",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1GB",
	}, vars(t, e.Warnings), "the OpenTelemetry variables warn and fall back to their defaults")
	require.Equal(t, []string{"LUMEN_FLUSH_BUDGET=0s"}, vars(t, e.Errs), "Lumen's own variables are strict")
	require.Nil(t, e.ResourceAttributes)
	require.Equal(t, "localhost:9464", e.PrometheusAddr)
	require.Zero(t, e.Limits.SpanEventCount)
	require.Zero(t, e.FlushBudget)
}

func TestEnvInstance(t *testing.T) {
	tests := []struct {
		vars map[string]string
		want string
	}{
		{vars: map[string]string{"AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/07/[$LATEST]0123abcd"}, want: "0123abcd"},
		{vars: map[string]string{"AWS_LAMBDA_LOG_STREAM_NAME": "plain"}, want: "plain"},
		{vars: map[string]string{"AWS_LAMBDA_LOG_STREAM_NAME": "x[1]y", "LUMEN_METRICS_INSTANCE": "mine"}, want: "mine"},
		{vars: map[string]string{"AWS_LAMBDA_LOG_STREAM_NAME": "x[1]y", "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"}, want: ""},
		{want: ""},
	}
	for _, tt := range tests {
		e := telemetry.ReadEnv(env(tt.vars))
		require.Equal(t, tt.want, e.Instance(), "%v", tt.vars)
	}
}
