package otlpgrpc_test

import (
	"context"
	"fmt"
	"os"

	"github.com/lumen-rt/lumen/exporters"
	_ "github.com/lumen-rt/lumen/exporters/otlpgrpc" // links gRPC and registers "otlp"
	"github.com/lumen-rt/lumen/exporters/traces"
)

// A function imports the package for its side effect; exporters/traces (and
// the runtime) then resolve "otlp" by name.
func Example() {
	os.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	os.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
	defer os.Unsetenv("OTEL_TRACES_EXPORTER")
	defer os.Unsetenv("OTEL_EXPORTER_OTLP_ENDPOINT")

	ctx := context.Background()
	exps, err := traces.New(ctx) // no I/O: an absent collector shows at the first flush
	if err != nil {
		panic(err)
	}
	defer exps[0].Shutdown(ctx)

	fmt.Println(len(exps), "span exporter")
	for _, signal := range []string{exporters.SignalTraces, exporters.SignalMetrics, exporters.SignalLogs} {
		fmt.Println(signal, exporters.Registered(signal))
	}
	// Output:
	// 1 span exporter
	// traces [otlp]
	// metrics [otlp]
	// logs [otlp]
}
