// Package faulte2e holds Lumen's fault matrix: the test function in
// ./testfunc, under the real AWS Lambda Runtime Interface Emulator, against
// real backends (the OpenTelemetry Collector, Prometheus, the Pushgateway,
// a stand-in X-Ray daemon, a FIFO for stdout) that a switchable proxy
// (package internal/faultproxy) breaks and heals while the function runs.
//
// For every backend fault (refused, blackholed, slow, 5xx, 429 with
// Retry-After, garbage answers) and every exporter, the tests prove that
// every response is still correct, that the loop waits for a failing
// backend only the first time (each flusher reports its failure once; the
// flush point then backs off), that losses are counted only beyond the
// bounded buffers, and that all three signals flow again once the backend
// heals. Bad Runtime API answers and SIGTERM in each phase of the loop
// (poll, handle, post, flush; with and without a dead backend) are tested
// the same way. Each test logs what it measured (median invocation latency
// healthy and faulty, recovery time after the heal) with t.Logf; none of
// them asserts a duration.
//
// The tests are skipped under `go test -short`; a missing real part skips
// them locally and fails them under CI=true. The soak (100,000 invocations,
// memory and goroutines flat) runs only with LUMEN_SOAK=1, through
// `make soak`.
package faulte2e
