// Package dashboards builds Lumen's bundled Grafana dashboards from code,
// with the Grafana Foundation SDK, in the Classic JSON model that Grafana and
// Amazon Managed Grafana import and provision:
//
//   - lumen-function-overview: invocation rate, error ratio, duration
//     percentiles, cold starts and init duration, timeouts.
//   - lumen-runtime-internals: the phases of the invocation loop, the
//     telemetry flush and its overruns, what the telemetry pipeline dropped,
//     in-flight invocations, memory and the Go garbage collector.
//   - lumen-errors: errors by Lambda errorType and by trigger.
//
// Every query reads the metrics of Lumen's metrics package, aggregates the
// per-environment instance label away after rate, and uses the variables
// datasource, function (faas_name) and trigger (faas_trigger). The committed
// JSON under grafana/ is the output of [All] written by cmd/gen; the tests
// fail when they differ, lint every dashboard, parse every query and prove
// against a real Prometheus that every panel shows data.
//
// # Counting rare events
//
// Each execution environment pushes or writes its own counters, which start
// at zero in a process Prometheus has never seen: the first sample of a
// series already holds the increments made before the first flush.
// rate and increase cannot see those, which is harmless for steady flows but
// hides every cold start (one per environment) and the first error of each
// type. Panels that count rare events therefore use [IncreaseWithBirths]:
// increase for series that existed before the window, plus the whole value
// of series born inside it.
package dashboards
