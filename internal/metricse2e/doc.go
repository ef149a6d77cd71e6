// Package metricse2e proves, end to end, what Lumen's runtime counts: the
// test function (internal/e2e/testfunc) runs under the real Runtime Interface
// Emulator, one emulator per execution environment, and its metrics are read
// back where a user would read them:
//
//   - from a real Prometheus that scrapes a real Pushgateway and receives
//     remote write, through its HTTP query API, with two environments
//     pushing and writing at once;
//   - from the CloudWatch Embedded Metric Format documents the function
//     writes to its output;
//   - from the function's own /metrics endpoint while its Pushgateway is
//     dead.
//
// Every test derives its expected counts from the invocations it sends and
// asserts exact values: invocations, errors by type, cold starts (one per
// environment), histogram counts of the invocation and of each loop phase,
// and what the telemetry pipeline lost. The package holds tests only; they
// need the emulator, Prometheus and the Pushgateway (`make tools`), and are
// skipped under -short.
package metricse2e
