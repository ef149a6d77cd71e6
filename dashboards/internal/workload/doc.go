// Package workload produces the data Lumen's dashboards are proven against
// and pictured from: a small fleet of Lambda execution environments, each a
// real metrics.Recorder whose metrics leave through a real exporter, the
// Pushgateway exporter for one function and the remote write exporter for
// the other, at a flush point after every round of invocations, as the
// runtime flushes after every response.
//
// Every round records successes, errors of several types, a timeout now and
// then, the phases of the loop and one invocation still in flight at the
// flush; the first invocation of each environment is a cold start. Each
// environment also flushes to a backend that refuses connections (failed
// flushes, dropped series) and to one that never answers (flush overruns),
// so the telemetry-health panels have something to show.
package workload
