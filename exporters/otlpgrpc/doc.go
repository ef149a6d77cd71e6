// Package otlpgrpc links OTLP over gRPC into a function and registers the
// name "otlp" for every signal, so that the runtime (and package
// exporters/traces) can build the exporters from the environment:
//
//	import _ "github.com/lumen-rt/lumen/exporters/otlpgrpc"
//
// Importing it is the one switch for the gRPC protocol. Without the import,
// a function neither downloads nor links gRPC, the generated OTLP types and
// the OpenTelemetry SDK's OTLP exporters (several MB of a stripped binary).
// OTLP over HTTP is built into Lumen (package exporters/otlp) and needs no
// import.
//
// Each signal's protocol is its OTEL_EXPORTER_OTLP_<SIGNAL>_PROTOCOL, else
// OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" (the default) or "grpc", as
// the OpenTelemetry specification says. The registered factories build,
// from the [exporters.Config] they are given:
//
//   - over gRPC: otlptracegrpc wrapped by traces.Counting (drops counted
//     under "otlp"), an exporters/otlpmetric Exporter of Config.Gatherer
//     ("otlpmetric"), and an exporters/otlplog Exporter ("otlplog"); the
//     OpenTelemetry exporters read every other OTEL_EXPORTER_OTLP_*
//     variable themselves;
//   - over http/protobuf, until the telemetry package configures them: the
//     built-in exporters/otlp exporters, configured from the
//     OTEL_EXPORTER_OTLP_* variables (the metrics one when Config.Gatherer
//     also hands out its series, else exporters/otlpmetric), all counting
//     under "otlp".
//
// The factories do no network I/O: an unreachable collector shows at the
// first flush, counted as a drop.
package otlpgrpc
