// Package testenv gives Lumen's integration tests the real parts they run
// against: the pinned tools installed by `make tools` (the Runtime Interface
// Emulator, the OpenTelemetry Collector, Prometheus and the Pushgateway),
// free loopback addresses, Go binaries built for the test, and processes that
// stop with the test that started them.
//
// A missing tool skips the test on a developer's machine and fails it when
// CI=true: in CI every real part must be present.
package testenv
