package pushgateway_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/pushgateway"
)

// Example pushes a function's registry after an invocation and deletes the
// environment's group at shutdown. A local fake stands in for the gateway.
func Example() {
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path)
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusAccepted)
		}
	}))
	defer gateway.Close()

	reg := prometheus.NewRegistry()
	invocations := prometheus.NewCounter(prometheus.CounterOpts{Name: "faas_invocations_total", Help: "Invocations."})
	reg.MustRegister(invocations)

	// In Lambda, LUMEN_PUSHGATEWAY_URL gives the URL, AWS_LAMBDA_FUNCTION_NAME
	// the job and AWS_LAMBDA_LOG_STREAM_NAME the instance.
	exp, err := pushgateway.New(reg,
		pushgateway.WithURL(gateway.URL),
		pushgateway.WithJob("orders"),
		pushgateway.WithInstance("0f1e2d3c"),
		pushgateway.WithDropCounter(exporters.DropCounterFunc(func(exporter, signal string, items int) {
			fmt.Printf("%s dropped %d %s series\n", exporter, items, signal)
		})),
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	invocations.Inc() // the handler ran

	// After the response is posted, flush within the invocation's budget.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := exp.ForceFlush(ctx); err != nil {
		fmt.Println(err)
	}
	if err := exp.Shutdown(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// PUT /metrics/job/orders/instance/0f1e2d3c
	// DELETE /metrics/job/orders/instance/0f1e2d3c
}
