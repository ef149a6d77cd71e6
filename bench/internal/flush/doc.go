// Package flush holds the benchmarks of each part of Lumen's telemetry
// cost, with the exporters built as the runtime builds them: by
// telemetry.New from an environment (telemetry.WithEnv of
// telemetry.ReadEnv), through the exporter registry.
//
//   - BenchmarkRecord: what the loop records per invocation, without
//     exporting: the runtime's four spans through the SDK into the flush
//     processor, the invocation's metrics (RecordInvocation and the phases),
//     one log line (JSON on stdout; teed to the OTLP log exporter).
//   - BenchmarkEncode: one invocation's telemetry encoded by each exporter
//     without I/O (OTLP through an http.RoundTripper that discards, EMF to
//     io.Discard).
//   - BenchmarkFlush: one invocation recorded, then the flusher's
//     ForceFlush to a loopback backend, per exporter: X-Ray (a UDP socket),
//     EMF (stdout to /dev/null), OTLP traces, metrics and logs (an HTTP
//     sink), and every flusher of each default configuration.
//   - BenchmarkInvocation: the whole invocation in process, runtime.Run
//     against the fake Runtime API (runtime/runtimetest), with the pipeline
//     of each configuration and its flush strategy.
//
// `bench/run.sh` runs them and the driver reports them in RESULTS.md.
package flush
