// Package collector runs a real OpenTelemetry Collector for Lumen's
// integration tests and records everything it forwards.
//
// [Start] launches otelcol-lumen (built by `make tools` from
// tools/otelcol/builder-config.yaml: core components only) on free loopback
// ports with an OTLP receiver for HTTP and gRPC, a batch processor, and an
// otlphttp exporter pointed at a [Sink]: an OTLP/HTTP receiver inside the
// test process that decodes every export request (traces, metrics, logs)
// into a thread-safe record with wait-for-N helpers. Telemetry therefore
// crosses the collector exactly as it would in production, and the test
// reads what came out the other side.
//
// A [Sink] can also be used alone, as a fast fake collector with fault
// injection ([Sink.SetStatus]).
//
// Tests that call [Start] are skipped under `go test -short`; a missing
// otelcol-lumen skips them locally and fails them under CI=true.
package collector
