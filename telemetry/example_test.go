package telemetry_test

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/lumen-rt/lumen/telemetry"
)

// The pipeline a function gets from its environment, here given as a map:
// with active tracing, spans go to the X-Ray daemon; metrics are served on
// a local /metrics endpoint, which Start opens.
func Example() {
	env := telemetry.ReadEnv(func(name string) string {
		return map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME": "orders",
			"AWS_XRAY_DAEMON_ADDRESS":  "127.0.0.1:2000",
			"AWS_LAMBDA_LOG_FORMAT":    "JSON",
			"OTEL_METRICS_EXPORTER":    "Prometheus",
			"LUMEN_METRICS_ADDR":       "127.0.0.1:0",
			"OTEL_PROPAGATORS":         "tracecontext,baggage,xray-lambda,b3",
		}[name]
	})
	fmt.Println("traces:", env.Traces, "metrics:", env.Metrics, "logs:", env.Logs)

	ctx := context.Background()
	p, err := telemetry.New(ctx, telemetry.WithEnv(env), telemetry.WithLogWriter(io.Discard))
	if err != nil {
		panic(err)
	}
	defer p.Shutdown(ctx)
	if err := p.Start(ctx); err != nil {
		panic(err)
	}
	for _, f := range p.Flushers() {
		fmt.Println("flushed at the flush point:", f.Name())
	}
	fields := p.Propagator().Fields()
	slices.Sort(fields)
	fmt.Println("propagated:", fields)
	// Output:
	// traces: [xray] metrics: [prometheus] logs: [console]
	// flushed at the flush point: prometheus
	// flushed at the flush point: traces
	// propagated: [X-Amzn-Trace-Id b3 baggage traceparent tracestate]
}

// An OTLP endpoint alone sends every signal over OTLP/HTTP, built in.
func ExampleReadEnv() {
	env := telemetry.ReadEnv(func(name string) string {
		return map[string]string{
			"OTEL_EXPORTER_OTLP_ENDPOINT":        "https://collector.example:4318",
			"OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "500",
			"OTEL_SDK_DISABLED":                  "yes",
		}[name]
	})
	fmt.Println(env.Traces, env.Metrics, env.Logs)
	fmt.Println(env.OTLP.Metrics.Endpoint, env.OTLP.Metrics.Timeout)
	for _, w := range env.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// [otlp] [otlp] [otlp]
	// https://collector.example:4318 500ms
	// warning: OTEL_SDK_DISABLED="yes": ignored: want "true" or "false"
}
