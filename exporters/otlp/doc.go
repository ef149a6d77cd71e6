// Package otlp is Lumen's built-in OTLP/HTTP exporter for traces, metrics
// and logs: light enough to be linked into every function, cheap enough to
// run after every invocation.
//
// It encodes OTLP protobuf itself (package exporters/internal/otlpwire,
// built on protowire) into buffers it reuses, instead of building the
// generated OTLP types, and links neither gRPC, the generated types, nor
// the OpenTelemetry SDK's OTLP exporters or log SDK. The gRPC protocol lives
// in package exporters/otlpgrpc, linked only by importing it.
//
// Three exporters, one request per signal per flush:
//
//   - [SpanExporter] is an sdktrace.SpanExporter: each ExportSpans is one
//     request.
//   - [MetricExporter] reads the metrics Recorder's series (a
//     [SeriesSource]) at each ForceFlush, without gathering the registry,
//     and sends counters as monotonic sums, gauges as gauges and histograms
//     as explicit-bucket histograms, cumulatively or as deltas
//     ([WithTemporality]).
//   - [LogExporter]'s Handler encodes each slog record straight into the
//     pending request (no record is kept), within bounds
//     ([WithMaxRecords], [WithMaxBytes]); ForceFlush sends them all at once.
//     Records carry the trace context of the span in their context, or the
//     trace id of the invocation's X-Ray header, and the invocation's
//     faas.invocation_id, faas.coldstart and aws.lambda.invoked_arn. Wrap
//     the handler with logging.Wrap for Lambda's level, sampling and
//     redaction.
//
// The package reads no environment variable. It registers itself as "otlp"
// for every signal (exporters.RegisterSpanExporter and the others), and the
// telemetry package, which links it into every function, builds the
// exporters OTEL_*_EXPORTER select from the exporters.Config it read from
// the OTEL_EXPORTER_OTLP_* variables: the endpoint (a base URL, or a
// signal's own URL), headers, compression, timeout, metrics temporality,
// the one resource of the process, the drop counter and the Recorder's
// series. Code that builds exporters itself passes the same settings as
// options ([WithEndpoint], [WithSignalURL], [WithHeaders],
// [WithCompression], [WithTimeout], [WithTemporality], [WithResource]). The
// exporters share one HTTP client that keeps its connections alive between
// flushes, unless [WithHTTPClient] gives another.
//
// A failed request is never retried here, and nothing runs in the
// background: every call returns when the backend answers, the request
// times out ([WithTimeout]) or its context ends. The error is an
// [*ExportError] that tells whether the backend may accept the data later
// ([ExportError.Retryable]) and when ([ExportError.RetryAfter], from
// Retry-After): the runtime's flush point owns the backoff. Spans and data points of a failed
// request are counted as dropped ([WithDropCounter]); log records are kept
// for the next flush when the failure is retryable, within the bounds.
package otlp
