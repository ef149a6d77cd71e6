// Package metrics is Lumen's Prometheus instrumentation: a registry holding
// the OpenTelemetry FaaS metrics under their Prometheus names, the phases of
// the runtime's invocation loop, cold starts told apart from pre-initialised
// and proactive inits, and the health of the telemetry pipeline. How the
// metrics leave the process (Pushgateway, remote write, OTLP, CloudWatch EMF,
// a local /metrics endpoint) is the exporters' business: they read
// [Recorder.Gatherer].
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
// at most 160 buckets, reset after an hour at the earliest); they leave the
// process only in the protobuf format, and [WithNativeHistograms](false)
// turns them off.
//
// # Cold starts
//
// A [ColdStartDetector] classifies the first invocation of an environment.
// It is a cold start only when AWS_LAMBDA_INITIALIZATION_TYPE is on-demand
// (or unset, as in emulators) and the event arrived within
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
// phase of four, signal of three plus "other". error_type holds the
// allow-list ([KnownErrorTypes] plus [WithErrorTypes]) and the first
// [WithMaxErrorTypes] other types seen, then "other"; exporter and flusher
// names are capped at [MaxComponentNames] each. Request ids never become
// labels.
package metrics
