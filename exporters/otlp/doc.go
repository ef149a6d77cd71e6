// Package otlp links Lumen's OTLP exporters into a function and registers
// them under the name "otlp" for every signal, so that the runtime (and
// package exporters/traces) can build them from the environment:
//
//	import _ "github.com/lumen-rt/lumen/exporters/otlp"
//
// Importing it is the one switch for OTLP. Without the import, a function
// neither downloads nor links the OTLP and gRPC client libraries (about
// 7 MB of a stripped binary), and selecting "otlp" by name fails with an
// [exporters.NotLinkedError] that names this package.
//
// The registered factories build, from the [exporters.Config] they are
// given:
//
//   - traces (OTEL_TRACES_EXPORTER=otlp): [NewSpanExporter], wrapped by
//     traces.Counting so that the spans of a failed export are counted under
//     exporter "otlp" in Config.Drops;
//   - metrics (LUMEN_METRICS_EXPORTER=otlp): an exporters/otlpmetric
//     Exporter over Config.Gatherer, counting as "otlpmetric";
//   - logs (OTEL_LOGS_EXPORTER=otlp): an exporters/otlplog Exporter,
//     counting as "otlplog".
//
// Each signal's protocol is its OTEL_EXPORTER_OTLP_<SIGNAL>_PROTOCOL, else
// OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" (the default) or "grpc", as
// the OpenTelemetry specification says. The OpenTelemetry exporters read
// every other OTEL_EXPORTER_OTLP_* variable themselves (endpoint, headers,
// timeout, compression, certificates). The factories do no network I/O: an
// unreachable collector shows at the first flush, counted as a drop.
package otlp
