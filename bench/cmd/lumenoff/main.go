// Command lumenoff is the benchmark's function on Lumen's runtime with its
// telemetry turned off (runtime.WithoutTelemetry): the bare loop.
package main

import (
	"github.com/lumen-rt/lumen/runtime"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	runtime.StartWithOptions(workload.Handle, runtime.WithoutTelemetry())
}
