package traces_test

import (
	"context"
	"fmt"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/traces"
)

// New reads OTEL_TRACES_EXPORTER (here overridden in code) and returns one
// exporter per name; give each its own batch span processor.
func Example() {
	ctx := context.Background()
	drops := exporters.DropCounterFunc(func(exporter, signal string, n int) {
		fmt.Printf("%s dropped %d %s\n", exporter, n, signal)
	})
	exps, err := traces.New(ctx,
		traces.WithExporters("xray", "console", "none"),
		traces.WithDropCounter(drops),
	)
	if err != nil {
		panic(err)
	}
	opts := []sdktrace.TracerProviderOption{}
	for _, e := range exps {
		opts = append(opts, sdktrace.WithBatcher(e))
	}
	tp := sdktrace.NewTracerProvider(opts...)
	defer tp.Shutdown(ctx)

	fmt.Println(len(exps), "exporters")
	// Output: 2 exporters
}

// Counting turns failed exports into drop counts.
func ExampleCounting() {
	drops := exporters.DropCounterFunc(func(exporter, signal string, n int) {
		fmt.Printf("%s dropped %d %s\n", exporter, n, signal)
	})
	exp := traces.Counting(failing{}, "collector", drops)
	_ = exp.ExportSpans(context.Background(), make([]sdktrace.ReadOnlySpan, 3))
	// Output: collector dropped 3 traces
}

type failing struct{}

func (failing) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error {
	return fmt.Errorf("connection refused")
}
func (failing) Shutdown(context.Context) error { return nil }
