// Command lumenotel is the benchmark's function on Lumen's runtime fully
// instrumented: spans, metrics (with the Go runtime and process collectors)
// and logs, all sent over OTLP/HTTP (configured by the OTEL_EXPORTER_OTLP_*
// variables) and flushed at the runtime's flush point after every
// invocation.
//
// BENCH_SIGNALS, a comma-separated subset of traces, metrics, logs and
// gocollectors, turns the others off, to see what each one costs; unset, all
// are on.
package main

import (
	"context"
	"log"
	"log/slog"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"

	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/tracing"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	ctx := context.Background()
	on := signals()
	opts := []runtime.Option{runtime.WithoutTelemetry()}
	var flushers []runtime.Flusher
	var rec *metrics.Recorder
	if on("metrics") {
		var err error
		rec, err = metrics.New(metrics.WithRuntimeCollectors(on("gocollectors")))
		if err != nil {
			log.Fatalf("metrics: %v", err)
		}
		metricExporter, err := otlpmetric.New(ctx, rec.Gatherer(), otlpmetric.WithDropCounter(rec))
		if err != nil {
			log.Fatalf("otlpmetric: %v", err)
		}
		opts = append(opts, runtime.WithMetrics(rec))
		flushers = append(flushers, metricExporter)
	}
	if on("traces") {
		spans, err := otlptracehttp.New(ctx)
		if err != nil {
			log.Fatalf("otlptracehttp: %v", err)
		}
		tp, err := tracing.NewTracerProvider(tracing.WithExporter(spans))
		if err != nil {
			// A partly detected resource; the provider works all the same.
			log.Printf("tracing: %v", err)
		}
		opts = append(opts, runtime.WithTracerProvider(tp))
		flushers = append(flushers, tp)
	}
	handler := logging.NewHandler(os.Stdout)
	if on("logs") {
		var lopts []otlplog.Option
		if rec != nil {
			lopts = append(lopts, otlplog.WithDropCounter(rec))
		}
		logExporter, err := otlplog.New(ctx, lopts...)
		if err != nil {
			log.Fatalf("otlplog: %v", err)
		}
		handler = slog.NewMultiHandler(handler, logExporter.Handler())
		flushers = append(flushers, logExporter)
	}
	slog.SetDefault(slog.New(handler))
	runtime.StartWithOptions(workload.Handle, append(opts, runtime.WithFlusher(flushers...))...)
}

// signals reports which signals BENCH_SIGNALS turns on.
func signals() func(string) bool {
	v, set := os.LookupEnv("BENCH_SIGNALS")
	names := strings.Split(v, ",")
	return func(s string) bool { return !set || slices.Contains(names, s) }
}
