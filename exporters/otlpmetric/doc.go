// Package otlpmetric sends a Lambda function's Prometheus metrics as OTLP
// metrics to an OpenTelemetry Collector (or any OTLP/HTTP endpoint) at every
// flush.
//
// The registry is read through OpenTelemetry's Prometheus bridge
// (go.opentelemetry.io/contrib/bridges/prometheus) as a metric Producer on an
// sdk/metric ManualReader, so the conversion is OpenTelemetry's own:
// counters become cumulative monotonic sums, gauges gauges, classic
// histograms explicit-bucket histograms, native histograms exponential
// histograms, summaries summaries. [Exporter.ForceFlush] collects the reader
// and exports the result with an sdk/metric Exporter, by default the OTLP
// exporter of the protocol OTEL_EXPORTER_OTLP_METRICS_PROTOCOL or
// OTEL_EXPORTER_OTLP_PROTOCOL names (http/protobuf, the default, or grpc;
// [WithProtocol] overrides both), configured from the standard
// OTEL_EXPORTER_OTLP_* variables (endpoint, headers, compression, timeout,
// TLS) and [WithHTTPOptions] or [WithGRPCOptions]. Nothing runs in the
// background: a frozen process has nothing pending.
//
// To let the runtime build this exporter when LUMEN_METRICS_EXPORTER names
// otlp, import package exporters/otlp, which registers it.
//
// # Resource: one per execution environment
//
// Every execution environment keeps its own cumulative counters, so the
// resource names the environment: service.instance.id is, in order,
// [WithInstance], LUMEN_METRICS_INSTANCE, the part of
// AWS_LAMBDA_LOG_STREAM_NAME after its last "]", or a random 16-hex-digit id
// (always random under SnapStart, AWS_LAMBDA_INITIALIZATION_TYPE=snap-start).
// The resource is built at the first flush, so copies restored from one
// snapshot each draw their own. It also carries service.name and faas.name
// (AWS_LAMBDA_FUNCTION_NAME), faas.version, faas.instance (the log stream
// name), faas.max_memory, cloud.provider, cloud.platform and cloud.region;
// OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME override them, and
// [WithResource] replaces the whole resource. A collector that forwards to
// Prometheus turns service.instance.id into the instance label.
//
// # Bounded, counted
//
// ForceFlush and Shutdown never hold the caller past its context. The
// default exporter retries retryable failures with a short backoff (10 ms to
// 100 ms, at most 1 s in all) inside the caller's context. An export that
// fails returns the error and reports its data points (one per series) to
// the [exporters.DropCounter] given with [WithDropCounter].
package otlpmetric
