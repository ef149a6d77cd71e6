// Package platforme2e proves Lumen's platform telemetry end to end, as a
// user turns it on: the function under test (./testfunc) is a plain
// runtime.Start(handler), configured only by its environment
// (LUMEN_PLATFORM_TELEMETRY=true, spans and metrics over OTLP/HTTP to a real
// OpenTelemetry Collector), run by the real Runtime Interface Emulator.
//
//   - In the emulator's managed-instances mode, which serves a real
//     Telemetry API (schema 2025-01-29), the runtime's internal extension
//     subscribes during the init, and the reports of real invocations
//     become faas_* platform metrics whose counts, sums, statuses and error
//     types agree with the emulator's own REPORT lines and with what the
//     invoker was answered, and lambda.report spans, children of their
//     invocation spans; they leave at a later flush, with a deferring flush
//     strategy at the final flush, and the last invocation's at SIGTERM,
//     with one worker or several.
//   - In classic mode, whose Telemetry API is a stub answering
//     Telemetry.NotSupported, the function says so in one line and carries
//     on, with no platform span or metric.
//
// The package holds tests only; they need the emulator and the Collector
// (`make tools`), managed-instances mode root, and are skipped under -short.
package platforme2e
