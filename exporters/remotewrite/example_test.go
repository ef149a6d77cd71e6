package remotewrite_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/remotewrite"
)

// Example writes a function's registry to a remote write endpoint after an
// invocation, and ends the environment's series at shutdown. A local fake
// stands in for Prometheus.
func Example() {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path, r.Header.Get("Content-Encoding"), r.Header.Get("X-Prometheus-Remote-Write-Version"))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	reg := prometheus.NewRegistry()
	invocations := prometheus.NewCounter(prometheus.CounterOpts{Name: "faas_invocations_total", Help: "Invocations."})
	reg.MustRegister(invocations)

	// In Lambda, LUMEN_REMOTE_WRITE_URL gives the URL, AWS_LAMBDA_FUNCTION_NAME
	// the job and AWS_LAMBDA_LOG_STREAM_NAME the instance.
	exp, err := remotewrite.New(reg,
		remotewrite.WithURL(receiver.URL+"/api/v1/write"),
		remotewrite.WithJob("orders"),
		remotewrite.WithInstance("0f1e2d3c"),
		remotewrite.WithDropCounter(exporters.DropCounterFunc(func(exporter, signal string, items int) {
			fmt.Printf("%s dropped %d %s series\n", exporter, items, signal)
		})),
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	invocations.Inc() // the handler ran

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := exp.ForceFlush(ctx); err != nil {
		fmt.Println(err)
	}
	if err := exp.Shutdown(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// POST /api/v1/write snappy 0.1.0
	// POST /api/v1/write snappy 0.1.0
}
