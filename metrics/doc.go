// Package metrics is Lumen's instrumentation: the OpenTelemetry FaaS metrics
// under their Prometheus names, the phases of the runtime's invocation loop,
// cold starts told apart from pre-initialised and proactive inits, the
// health of the telemetry pipeline, and what Lambda itself reports through
// the Telemetry API. How the metrics leave the process is the exporters'
// business: those that speak Prometheus (/metrics, the Pushgateway, remote
// write) gather [Recorder.Gatherer]; those that encode metrics themselves
// (OTLP, CloudWatch EMF) read [Recorder.Visit].
//
// # Recording and reading
//
// The instruments are Lumen's own: counters, gauges and explicit-bucket
// histograms with atomic storage allocated when a series is created.
// Recording an invocation ([Recorder.InvocationStarted],
// [Recorder.RecordInvocation], [Recorder.ObservePhase], the health
// counters, the platform reports) takes no lock and allocates nothing once
// its series exist. They are registered on a client_golang registry, which
// exposes them exactly as client_golang's own instruments would be exposed,
// native histograms included (see [NativeHistogramBucketFactor]).
//
// [Recorder.Visit] reads them without a gather and without allocating, as
// [Series] with dense, stable IDs, their OpenTelemetry names, units and
// attribute keys. The other collectors of the registry (the Go runtime and
// process collectors, the application's own metrics registered through
// [Recorder.Registerer]) are gathered apart, at most once per
// [WithRuntimeCollectorsMaxAge], and not at all when there are none.
//
// # Configuration
//
// The package reads no environment variable. What Lambda's variables say
// comes through options: [WithFunctionName] (AWS_LAMBDA_FUNCTION_NAME),
// [WithMaxMemory] (AWS_LAMBDA_FUNCTION_MEMORY_SIZE in bytes), and the
// [InitType] given to [NewColdStartDetector]
// (AWS_LAMBDA_INITIALIZATION_TYPE).
//
// # Metrics
//
// The OpenTelemetry FaaS metrics, all labelled faas_trigger (other,
// datasource, http, pubsub, timer):
//
//   - faas_invoke_duration_seconds (histogram): from the arrival of the event
//     to the completed POST of its response or error.
//   - faas_init_duration_seconds (histogram): the init of environments whose
//     first invocation was a cold start, observed with that invocation.
//   - faas_coldstarts_total: cold starts (see below).
//   - faas_errors_total, also labelled error_type: failed invocations,
//     timeouts included, by Lambda errorType.
//   - faas_invocations_total: all invocations, failed ones included.
//   - faas_timeouts_total: invocations that timed out.
//
// Lumen's own, under the same prefix:
//
//   - faas_proactive_initializations_total{faas_trigger}: first invocations
//     of environments Lambda initialised ahead of demand.
//   - faas_request_size_bytes, faas_response_size_bytes{faas_trigger}
//     (histograms): event payloads, responses and error documents.
//   - faas_inflight_invocations (gauge): invocations being handled.
//   - faas_phase_duration_seconds{phase} (histogram): poll_wait,
//     event_receive, handle, post.
//   - faas_telemetry_flush_duration_seconds (histogram): the flush after
//     each response.
//   - faas_telemetry_dropped_items_total{exporter,signal},
//     faas_telemetry_export_errors_total{exporter,signal},
//     faas_telemetry_flush_overruns_total{flusher},
//     faas_telemetry_flush_failures_total{flusher},
//     faas_telemetry_flush_skipped_total{flusher}: what the pipeline lost.
//   - faas_max_memory_bytes (gauge): the memory limit, when known.
//
// From Lambda's Telemetry API, recorded by [Recorder.RecordPlatformReport],
// [Recorder.RecordPlatformInit], [Recorder.RecordPlatformRestore] and
// [Recorder.RecordPlatformRuntimeDone]; each series appears with the first
// report of it, so a function without the Telemetry API has none:
//
//   - faas_mem_usage_bytes (OpenTelemetry's faas.mem_usage) and
//     faas_memory_utilization_ratio (max memory used / memory size), both
//     histograms labelled faas_trigger, as are faas_billed_duration_seconds,
//     faas_platform_duration_seconds (Lambda's measured duration),
//     faas_response_latency_seconds, faas_response_duration_seconds and
//     faas_produced_bytes (from runtimeDone);
//   - faas_platform_init_duration_seconds{init_type} and
//     faas_restore_duration_seconds: the init and the SnapStart restore;
//   - faas_invocation_status_total{faas_trigger,status,error_type}: status
//     success, error, failure or timeout (an out-of-memory ending is
//     error_type Runtime.OutOfMemory);
//   - faas_billed_gb_seconds_total and faas_estimated_cost_usd_total
//     {faas_trigger}: requests × [WithPricePerRequest] + GB-seconds ×
//     [WithPricePerGBSecond].
//
// With the Recorder's own registry, client_golang's go_* and process_*
// collectors are registered too ([WithRuntimeCollectors]); they read /proc
// and the Go runtime's metrics, so a gather reuses their values for up to
// [DefaultRuntimeCollectorsMaxAge] ([WithRuntimeCollectorsMaxAge]) rather
// than re-read them on every flush. Every metric
// carries faas_name, the function name, when it is known
// ([WithFunctionName]).
//
// # What faas_invocations_total counts
//
// All invocations, successful or not. The OpenTelemetry convention counts
// only successful ones in faas.invocations; Lumen follows CloudWatch's
// Invocations and Datadog instead, so that the error ratio is
// errors / invocations as AWS defines it, and the total needs no addition of
// two series whose label sets may not match. Successful invocations are
// faas_invocations_total - faas_errors_total summed over error_type.
//
// # Buckets
//
// Duration histograms use [DurationBuckets]: the OpenTelemetry advisory
// bounds 5 ms … 10 s, every one of them kept so semconv dashboards find their
// le values, plus 1 ms and 2.5 ms below and 15 s … 900 s above, since a
// Lambda function may run for 15 minutes and histogram_quantile cannot report
// more than the highest finite bound. Size histograms use [SizeBuckets].
// Native histograms are emitted alongside the classic buckets (factor 1.1,
// at most 160 buckets exposed, recorded at full resolution and never
// reset); they leave the process only in the protobuf format, and
// [WithNativeHistograms](false) turns them off, which saves their memory
// (a 256-byte table and a 512-byte chunk per power of two observed, per
// series) and a few nanoseconds per observation.
//
// Memory sizes use [MemoryBuckets], the utilisation ratio [RatioBuckets].
//
// # Cold starts
//
// A [ColdStartDetector] classifies the first invocation of an environment.
// It is a cold start only when the [InitType] (AWS_LAMBDA_INITIALIZATION_TYPE)
// is on-demand (or empty, as in emulators) and the event arrived within
// [DefaultProactiveInitThreshold] of the end of the init: that invocation
// waited for the init. Provisioned-concurrency, SnapStart and managed-instance
// inits are pre-initialised, not cold; an on-demand init followed by a long
// idle gap was proactive (Lambda initialised the environment before any event
// needed it) and has its own counter. Init duration is observed for cold
// starts only, measured from the start of the process.
//
// # Cardinality
//
// No label carries request data: faas_trigger is a closed set of five,
// phase of four, signal of three plus "other", status of four plus
// "other", init_type of four plus "other". error_type holds the
// allow-list ([KnownErrorTypes] plus [WithErrorTypes]) and the first
// [WithMaxErrorTypes] other types seen, then "other"; exporter and flusher
// names are capped at [MaxComponentNames] each. Request ids never become
// labels.
package metrics
