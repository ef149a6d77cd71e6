// Package traces builds the span exporters a function is configured for,
// from the standard OpenTelemetry environment, and counts the spans they
// fail to deliver.
//
// OTEL_TRACES_EXPORTER is a comma-separated list of exporter names:
//
//   - xray: X-Ray segment documents over UDP to AWS_XRAY_DAEMON_ADDRESS
//     (package exporters/xray).
//   - console: readable span trees on stderr, for local runs (package
//     exporters/console).
//   - none: nothing.
//   - otlp (the default when the variable is unset or empty, as the
//     OpenTelemetry specification says), and any other name an imported
//     package registers with [exporters.RegisterSpanExporter].
//
// Only the light exporters are linked by this package. OTLP needs the OTLP
// and gRPC client libraries, about 7 MB of a stripped binary, so it is
// linked only when the function imports package exporters/otlp:
//
//	import _ "github.com/lumen-rt/lumen/exporters/otlp"
//
// Without that import, otlp fails with a [*ConfigError] wrapping an
// [*exporters.NotLinkedError] that names the import to add.
//
// [New] returns one exporter per name so that the caller gives each its own
// span processor: a slow collector then never holds back the X-Ray daemon.
// Every exporter returned counts the spans it could not deliver through the
// [exporters.DropCounter] given with [WithDropCounter] (see [Counting]).
//
// Lumen resolves the list itself rather than calling contrib's autoexport,
// whose OTEL_TRACES_EXPORTER handling takes one name only and which links
// every OTLP, stdout and Prometheus exporter into each binary that imports
// it.
package traces
