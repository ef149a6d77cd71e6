package otlpmetric_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
)

// Example sends a function's registry as OTLP after an invocation. A local
// fake stands in for the collector; in Lambda the endpoint usually comes
// from OTEL_EXPORTER_OTLP_ENDPOINT (for example a collector extension on
// localhost:4318).
func Example() {
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()

	reg := prometheus.NewRegistry()
	invocations := prometheus.NewCounter(prometheus.CounterOpts{Name: "faas_invocations_total", Help: "Invocations."})
	reg.MustRegister(invocations)

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	exp, err := otlpmetric.New(ctx, reg,
		otlpmetric.WithHTTPOptions(otlpmetrichttp.WithEndpointURL(collector.URL+"/v1/metrics")),
		otlpmetric.WithInstance("0f1e2d3c"),
		otlpmetric.WithDropCounter(exporters.DropCounterFunc(func(exporter, signal string, items int) {
			fmt.Printf("%s dropped %d %s data points\n", exporter, items, signal)
		})),
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	invocations.Inc() // the handler ran

	if err := exp.ForceFlush(ctx); err != nil {
		fmt.Println(err)
	}
	if err := exp.Shutdown(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// POST /v1/metrics application/x-protobuf
	// POST /v1/metrics application/x-protobuf
}
