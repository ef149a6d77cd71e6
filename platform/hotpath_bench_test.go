package platform_test

import (
	"context"
	"strconv"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/platform"
)

// What platform telemetry adds to the runtime's hot path, per invocation:
// Started as the invocation begins, and a flush point with nothing queued.

func BenchmarkStarted(b *testing.B) {
	p := platform.New()
	ids := make([]string, 1024)
	for i := range ids {
		ids[i] = "request-" + strconv.Itoa(i)
	}
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Started(ids[i%len(ids)], invocation.TriggerHTTP, sc)
	}
}

func BenchmarkForceFlushIdle(b *testing.B) {
	p := platform.New()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = p.ForceFlush(ctx)
	}
}
