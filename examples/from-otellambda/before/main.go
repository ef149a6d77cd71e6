// Command before is a function instrumented the way the OpenTelemetry Lambda
// guide teaches: aws-lambda-go's lambda.Start around otellambda's
// InstrumentHandler, a tracer provider of its own exporting over OTLP/HTTP
// to the collector layer (OTEL_EXPORTER_OTLP_ENDPOINT, localhost:4318 in
// Lambda), X-Ray ids and propagation, and a flush in every invocation.
//
// It is the "before" of a migration to Lumen; ../after is the same function
// on Lumen, with the same handler and answer. What this version costs:
//
//   - otellambda flushes the spans before it returns, so every caller waits
//     for the export: the collector's answer is on the response path.
//   - One span per invocation, without error status or faas.trigger; the
//     handler's span hangs directly under it.
//   - No metrics and no trace-correlated logs without more setup; the
//     provider is never shut down (lambda.Start does not return), so spans
//     ended after the flush are lost when Lambda stops the environment.
//
// Both versions answer testdata/event.json with testdata/response.json
// under the Lambda Runtime Interface Emulator, exporting to a real
// OpenTelemetry Collector (the test in internal/examplestest).
package main

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"go.opentelemetry.io/contrib/instrumentation/github.com/aws/aws-lambda-go/otellambda"
	"go.opentelemetry.io/contrib/propagators/aws/xray"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Request is the event.
type Request struct {
	Name string `json:"name"`
}

// Greeting is the answer.
type Greeting struct {
	Message string `json:"message"`
}

// MissingNameError is returned for a request without a name.
type MissingNameError struct{}

func (*MissingNameError) Error() string { return `the request has no "name"` }

func greet(ctx context.Context, req Request) (Greeting, error) {
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return Greeting{}, &MissingNameError{}
	}
	_, span := otel.Tracer("greeter").Start(ctx, "compose greeting")
	defer span.End()
	return Greeting{Message: fmt.Sprintf("Hello, %s!", name)}, nil
}

func main() {
	ctx := context.Background()
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		log.Fatalf("otlp exporter: %v", err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithIDGenerator(xray.NewIDGenerator()),
	)
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(xray.Propagator{})
	lambda.Start(otellambda.InstrumentHandler(greet,
		otellambda.WithTracerProvider(tp),
		otellambda.WithFlusher(tp),
		otellambda.WithPropagator(xray.Propagator{}),
	))
}
