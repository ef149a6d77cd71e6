// Command lumendefaults is the benchmark's function on Lumen's runtime as
// runtime.Start sets it up inside Lambda with no configuration: spans to the
// X-Ray daemon over UDP (AWS_XRAY_DAEMON_ADDRESS), metrics as CloudWatch EMF
// on stdout and JSON logs on stdout (AWS_LAMBDA_LOG_FORMAT=JSON), all
// flushed after every invocation.
package main

import (
	"github.com/lumen-rt/lumen/runtime"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	runtime.Start(workload.Handle)
}
