// Package otlpgrpc links OTLP over gRPC into a function:
//
//	import _ "github.com/lumen-rt/lumen/exporters/otlpgrpc"
//
// OTLP over HTTP is built into Lumen (package exporters/otlp). gRPC, the
// generated OTLP types and the OpenTelemetry SDK's OTLP exporters weigh
// several MB of a stripped binary, so only a function that imports this
// package links them. It registers its exporters under the name
// exporters.GRPC ("otlpgrpc") for every signal; the telemetry package looks
// that name up for the otlp exporter when OTEL_EXPORTER_OTLP_PROTOCOL (or
// the signal's own variable) is grpc, and reports the missing import
// otherwise.
//
// The factories build, from the [exporters.Config] the telemetry package
// read from the environment (endpoint, headers, compression, timeout,
// resource):
//
//   - traces: otlptracegrpc without the SDK's retries, wrapped by
//     traces.Counting (drops counted under "otlp", the name the
//     function selected);
//   - metrics: an exporters/otlpmetric Exporter of Config.Gatherer over
//     otlpmetricgrpc (drops counted under "otlpmetric");
//   - logs: an exporters/otlplog Exporter over otlploggrpc (drops counted
//     under "otlplog").
//
// They do no network I/O: an unreachable collector shows at the first
// flush, counted as a drop.
package otlpgrpc
