// Package telemetry turns a process's environment into a telemetry pipeline:
// the one room between the runtime and the leaves (exporters, metrics,
// tracing, logging) where the configuration is read and the parts are
// assembled.
//
// # The environment, read once
//
// [ReadEnv] (or [LoadEnv], for os.Getenv) reads every variable Lumen uses —
// the OpenTelemetry environment specification's OTEL_*, Lambda's
// AWS_LAMBDA_*, Powertools' POWERTOOLS_* and Lumen's own LUMEN_* — into an
// [Env] of typed values. [Variables] lists them with their defaults and
// precedence; the README's configuration table is that list, and a test
// keeps the two equal. Values the specification says to warn about (an
// unknown exporter or propagator name, a malformed number, a boolean other
// than true or false) are ignored and reported in [Env.Warnings]; invalid
// LUMEN_* values fail the init ([Env.Errs]). Enum values are
// case-insensitive; exporter lists take commas and none.
//
// # The pipeline
//
// [New] builds a [Pipeline] from the environment: one Lambda resource for
// every signal; a tracer provider whose span exporters OTEL_TRACES_EXPORTER
// selects, behind the flush-point span processor (or the function's own
// provider, set as the global one or given with [WithTracerProvider], which
// is used and never replaced); a metrics recorder with the exporters
// OTEL_METRICS_EXPORTER selects; the Lambda log handler teed to the log
// exporters OTEL_LOGS_EXPORTER selects; and, with LUMEN_PLATFORM_TELEMETRY,
// the Telemetry API subscriber. Exporters are looked up by name in the
// registry of package exporters, where the built-in ones (OTLP/HTTP, X-Ray,
// EMF, Prometheus, console) register exactly as the ones a function links by
// import (OTLP/gRPC, Pushgateway, remote write); selecting one that is not
// linked is an error naming the import to add.
//
// The pipeline is made of the ecosystem's types only — trace.TracerProvider,
// the metrics.Recorder and its client_golang registry, slog.Handler,
// flushers with a name, Shutdown — so that the runtime (or any loop) uses it
// without knowing which exporter is configured. New does no I/O and sets no
// global: [Pipeline.Start] opens what must be open before the first
// invocation (a /metrics listener) and [Pipeline.Install] makes the pipeline
// the process's (the global tracer provider and propagator unless the
// function set its own, the OpenTelemetry error handler, slog's default
// logger).
package telemetry
