package tracing_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/tracing"
)

// A tracer provider whose spans leave only at the flush point: one export
// per ForceFlush, on the caller's goroutine and under its context.
func ExampleNewFlushProcessor() {
	exp := tracetest.NewInMemoryExporter()
	drops := exporters.DropCounterFunc(func(exporter, signal string, n int) {
		fmt.Printf("%s dropped %d %s\n", exporter, n, signal)
	})
	tp, _ := tracing.NewTracerProvider(
		tracing.WithSpanProcessor(tracing.NewFlushProcessor(exp,
			tracing.WithMaxBufferedSpans(2048), // OTEL_BSP_MAX_QUEUE_SIZE
			tracing.WithMaxExportBatch(512),    // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
			tracing.WithExporterName("memory"),
			tracing.WithFlushDropCounter(drops),
		)),
	)
	ctx := context.Background()
	defer tp.Shutdown(ctx)

	ictx, inv := tp.Tracer("example").Start(ctx, "GET /hello")
	_, handle := tp.Tracer("example").Start(ictx, "lumen.handle")
	handle.End()
	inv.End()
	fmt.Println("before the flush:", len(exp.GetSpans()))

	_ = tp.ForceFlush(ctx) // the runtime's flush point, bounded by its budget
	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name)
	}
	// Output:
	// before the flush: 0
	// lumen.handle
	// GET /hello
}
