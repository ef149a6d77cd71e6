package otlpgrpc_test

import (
	"context"
	"fmt"

	"github.com/lumen-rt/lumen/exporters"
	_ "github.com/lumen-rt/lumen/exporters/otlpgrpc" // links OTLP over gRPC
)

// A function imports the package for its side effect; the telemetry
// package then builds the otlp exporters over gRPC when
// OTEL_EXPORTER_OTLP_PROTOCOL=grpc.
func Example() {
	f, err := exporters.LookupSpanExporter(exporters.GRPC)
	if err != nil {
		panic(err)
	}
	exp, err := f(context.Background(), exporters.Config{
		OTLP: exporters.OTLPSettings{Endpoint: "http://127.0.0.1:4317", Protocol: exporters.ProtocolGRPC},
	}) // no I/O: an absent collector shows at the first flush
	if err != nil {
		panic(err)
	}
	defer exp.Shutdown(context.Background())
	for _, signal := range []string{exporters.SignalTraces, exporters.SignalMetrics, exporters.SignalLogs} {
		fmt.Println(signal, slicesContains(exporters.Registered(signal), exporters.GRPC))
	}
	// Output:
	// traces true
	// metrics true
	// logs true
}

func slicesContains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}
