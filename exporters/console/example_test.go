package console_test

import (
	"context"
	"os"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters/console"
)

// The exporter prints each exported batch as trees, one per trace. In a
// function it goes behind a TracerProvider (sdktrace.WithBatcher); here
// finished spans are given directly so the output is fixed.
func Example() {
	exp := console.New(console.WithWriter(os.Stdout))
	defer exp.Shutdown(context.Background())

	tid := trace.TraceID{0x57, 0x59, 0xe9, 0x88, 0xbd, 0x86, 0x2e, 0x3f, 0xe1, 0xbe, 0x46, 0xa9, 0x94, 0x27, 0x27, 0x93}
	span := func(id byte, parent trace.SpanID, name string, start, dur time.Duration) tracetest.SpanStub {
		t0 := time.Unix(1700000000, 0)
		return tracetest.SpanStub{
			Name:        name,
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: trace.SpanID{7: id}, TraceFlags: trace.FlagsSampled}),
			Parent:      trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: parent}),
			StartTime:   t0.Add(start),
			EndTime:     t0.Add(start + dur),
		}
	}
	spans := tracetest.SpanStubs{
		span(2, trace.SpanID{7: 1}, "lumen.handle", 0, 10100*time.Microsecond),
		span(3, trace.SpanID{7: 1}, "lumen.post", 10200*time.Microsecond, 1200*time.Microsecond),
		span(1, trace.SpanID{}, "GET /hello", 0, 12300*time.Microsecond),
	}
	_ = exp.ExportSpans(context.Background(), spans.Snapshots())
	// Output:
	// trace 1-5759e988-bd862e3fe1be46a994272793  GET /hello  12.3ms  ok
	// ├─ lumen.handle  10.1ms  ok
	// └─ lumen.post  1.2ms  ok
}

var _ sdktrace.SpanExporter = (*console.Exporter)(nil)
