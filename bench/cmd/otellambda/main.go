// Command otellambda is the benchmark's function on aws-lambda-go wrapped by
// OpenTelemetry's otellambda instrumentation: one span per invocation,
// exported over OTLP/HTTP (configured by the OTEL_EXPORTER_OTLP_* variables)
// and flushed by otellambda before each response.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"
	"go.opentelemetry.io/contrib/instrumentation/github.com/aws/aws-lambda-go/otellambda"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func main() {
	exp, err := otlptracehttp.New(context.Background())
	if err != nil {
		log.Fatalf("otlptracehttp: %v", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	lambda.Start(otellambda.InstrumentHandler(workload.Handle,
		otellambda.WithTracerProvider(tp), otellambda.WithFlusher(tp)))
}
