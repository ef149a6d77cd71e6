package otlp_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/logging"
)

// receiver stands for an OTLP/HTTP collector: it counts the requests per
// path.
func receiver() (*httptest.Server, map[string]*atomic.Int32) {
	counts := map[string]*atomic.Int32{"/v1/traces": {}, "/v1/metrics": {}, "/v1/logs": {}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		counts[r.URL.Path].Add(1)
	}))
	return srv, counts
}

// The three exporters of a function, configured as the telemetry package
// configures them from OTEL_EXPORTER_OTLP_ENDPOINT, each flushed once.
func Example() {
	srv, counts := receiver()
	defer srv.Close()
	ctx := context.Background()
	opts := []otlp.Option{otlp.WithEndpoint(srv.URL), otlp.WithCompression(otlp.CompressionGzip)}

	spans, err := otlp.NewSpanExporter(opts...)
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	_, span := tp.Tracer("example").Start(ctx, "work")
	span.End()

	logs, err := otlp.NewLogExporter(opts...)
	if err != nil {
		panic(err)
	}
	log := slog.New(logging.Wrap(logs.Handler()))
	log.Info("hello", "user", "ada")
	log.Info("again")
	if err := logs.ForceFlush(ctx); err != nil {
		panic(err)
	}

	_ = tp.Shutdown(ctx)
	_ = logs.Shutdown(ctx)
	for _, path := range []string{"/v1/traces", "/v1/logs"} {
		fmt.Println(path, counts[path].Load(), "request")
	}
	// Output:
	// /v1/traces 1 request
	// /v1/logs 1 request
}

// A failed export tells the flush point whether and when to try again.
func ExampleExportError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(srv.URL))
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider()
	_, span := tp.Tracer("example").Start(context.Background(), "work")
	span.End()

	err = exp.ExportSpans(context.Background(), []sdktrace.ReadOnlySpan{span.(sdktrace.ReadOnlySpan)})
	if e, ok := err.(*otlp.ExportError); ok {
		fmt.Println(e.StatusCode, e.Retryable(), e.RetryAfter())
	}
	// Output: 429 true 30s
}

// Delta temporality, as OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE
// asks for it.
func ExampleNewMetricExporter() {
	srv, counts := receiver()
	defer srv.Close()
	temporality, err := otlp.ParseTemporality("delta")
	if err != nil {
		panic(err)
	}
	src := newSource() // in a function: the metrics Recorder
	exp, err := otlp.NewMetricExporter(src, otlp.WithEndpoint(srv.URL), otlp.WithTemporality(temporality))
	if err != nil {
		panic(err)
	}
	_ = exp.ForceFlush(context.Background()) // every series since it started
	_ = exp.Shutdown(context.Background())   // the gauge only: the counter did not change
	fmt.Println(exp.Name(), counts["/v1/metrics"].Load(), "requests")
	// Output: otlp 2 requests
}
