// Package traces builds the span exporters a function is configured for,
// from the standard OpenTelemetry environment, and counts the spans they
// fail to deliver.
//
// OTEL_TRACES_EXPORTER is a comma-separated list of exporter names:
//
//   - otlp (the default when the variable is unset or empty): OTLP to a
//     collector. OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else
//     OTEL_EXPORTER_OTLP_PROTOCOL, chooses "http/protobuf" (default) or
//     "grpc", exactly as go.opentelemetry.io/contrib/exporters/autoexport
//     does; the exporter itself (otlptracehttp or otlptracegrpc) then reads
//     every other OTEL_EXPORTER_OTLP_* variable (endpoint, headers, timeout,
//     compression, certificates).
//   - xray: X-Ray segment documents over UDP to AWS_XRAY_DAEMON_ADDRESS
//     (package exporters/xray).
//   - console: readable span trees on stderr, for local runs (package
//     exporters/console).
//   - none: nothing.
//
// [New] returns one exporter per name so that the caller gives each its own
// span processor: a slow collector then never holds back the X-Ray daemon.
// Every exporter returned counts the spans it could not deliver through the
// [exporters.DropCounter] given with [WithDropCounter] (see [Counting]).
//
// Lumen resolves the list itself rather than calling autoexport, whose
// OTEL_TRACES_EXPORTER handling (v0.72.0) takes one name only and whose
// "console" is the JSON stdouttrace exporter; linking autoexport also adds
// its metric and log exporters to every binary (about 2.4 MB stripped).
// Programs that do use autoexport can import exporters/traces/autoxray to
// give it the "xray" name.
package traces
