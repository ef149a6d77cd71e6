// Command lumen is the benchmark's function on Lumen's runtime as a user
// writes it: runtime.Start and nothing else. Every Lumen variant with
// telemetry is this binary, configured by environment variables only, as
// Lambda and its users configure a function: AWS_XRAY_DAEMON_ADDRESS and
// AWS_LAMBDA_LOG_FORMAT for Lambda's defaults, OTEL_EXPORTER_OTLP_ENDPOINT
// for OTLP, OTEL_*_EXPORTER=none to turn a signal off, LUMEN_FLUSH_STRATEGY
// for the flush strategy.
package main

import (
	"github.com/lumen-rt/lumen/runtime"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	runtime.Start(workload.Handle)
}
