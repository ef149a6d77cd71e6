package emf_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters/emf"
)

// An exporter flushed after each invocation writes one EMF line per label
// set, with the counters' increases since the previous flush.
func Example() {
	reg := prometheus.NewRegistry()
	invocations := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "faas_invocations_total", Help: "Invocations.",
	}, []string{"faas_trigger"})
	reg.MustRegister(invocations)

	exp, err := emf.New(reg,
		emf.WithWriter(os.Stdout),
		emf.WithNamespace("Shop"),
		emf.WithDimensions(map[string]string{"service": "orders"}),
		emf.WithClock(func() time.Time { return time.UnixMilli(1762164000000) }),
	)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	invocations.WithLabelValues("http").Inc()
	if err := exp.ForceFlush(ctx); err != nil {
		fmt.Println(err)
	}
	invocations.WithLabelValues("http").Add(2)
	if err := exp.Shutdown(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"_aws":{"Timestamp":1762164000000,"CloudWatchMetrics":[{"Namespace":"Shop","Dimensions":[["faas_trigger","service"]],"Metrics":[{"Name":"faas_invocations_total","Unit":"Count"}]}]},"faas_trigger":"http","service":"orders","faas_invocations_total":1}
	// {"_aws":{"Timestamp":1762164000000,"CloudWatchMetrics":[{"Namespace":"Shop","Dimensions":[["faas_trigger","service"]],"Metrics":[{"Name":"faas_invocations_total","Unit":"Count"}]}]},"faas_trigger":"http","service":"orders","faas_invocations_total":2}
}
