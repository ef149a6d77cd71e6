// Command lumendefaults is the benchmark's function on Lumen's runtime as
// runtime.Start sets it up inside Lambda with no configuration: spans to the
// X-Ray daemon over UDP (AWS_XRAY_DAEMON_ADDRESS), metrics as CloudWatch EMF
// on stdout and JSON logs on stdout (AWS_LAMBDA_LOG_FORMAT=JSON), all
// flushed after every invocation.
//
// BENCH_CLASSIC=1 replaces only the metrics part by the same Recorder and
// EMF exporter with native histograms off (EMF writes counts and sums, never
// buckets), to show what native histograms cost in that default.
package main

import (
	"log"
	"os"

	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/runtime"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	var opts []runtime.Option
	if os.Getenv("BENCH_CLASSIC") != "" {
		rec, err := metrics.New(metrics.WithRuntimeCollectors(false), metrics.WithNativeHistograms(false))
		if err != nil {
			log.Fatalf("metrics: %v", err)
		}
		exp, err := emf.New(rec, emf.WithDropCounter(rec))
		if err != nil {
			log.Fatalf("emf: %v", err)
		}
		opts = append(opts, runtime.WithMetrics(rec), runtime.WithFlusher(exp))
	}
	runtime.StartWithOptions(workload.Handle, opts...)
}
