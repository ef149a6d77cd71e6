// Package harness runs the benchmark variants side by side: it builds each
// variant's function (bench/cmd/<variant>) as its own stripped binary, runs
// it as a child process against a fake Runtime API, the real Runtime
// Interface Emulator or a bare listener (for cold starts), and reads the
// child's allocations and CPU time through the workload's stats event, the
// same way in every variant. An OTLP/HTTP sink in the driver process takes
// what the instrumented variants export.
//
// Nothing here asserts anything about time: the driver (bench/driver) turns
// the measurements into bench/RESULTS.md.
package harness
