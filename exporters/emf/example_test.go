package emf_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/metrics"
)

// An exporter flushed after each invocation writes one EMF line with what
// changed since the previous flush: counters' increases, and histograms'
// distributions, from which CloudWatch computes percentiles.
func Example() {
	reg := prometheus.NewRegistry()
	invocations := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "faas_invocations_total", Help: "Invocations.",
	}, []string{"faas_trigger"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "faas_invoke_duration_seconds", Help: "Duration.", Buckets: []float64{0.01, 0.1, 1},
	}, []string{"faas_trigger"})
	reg.MustRegister(invocations, duration)

	// A *metrics.Recorder is a Visitor; any registry can be read through a
	// GatherVisitor.
	exp, err := emf.New(metrics.NewGatherVisitor(reg, 0, nil),
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
	duration.WithLabelValues("http").Observe(0.042)
	if err := exp.ForceFlush(ctx); err != nil {
		fmt.Println(err)
	}
	invocations.WithLabelValues("http").Add(2)
	if err := exp.Shutdown(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"_aws":{"Timestamp":1762164000000,"CloudWatchMetrics":[{"Namespace":"Shop","Dimensions":[["faas_trigger","service"]],"Metrics":[{"Name":"faas_invocations_total","Unit":"Count"},{"Name":"faas_invoke_duration_seconds","Unit":"Seconds"}]}]},"faas_trigger":"http","service":"orders","faas_invocations_total":1,"faas_invoke_duration_seconds":{"Values":[0.055],"Counts":[1],"Max":0.1,"Min":0.01,"Count":1,"Sum":0.042}}
	// {"_aws":{"Timestamp":1762164000000,"CloudWatchMetrics":[{"Namespace":"Shop","Dimensions":[["faas_trigger","service"]],"Metrics":[{"Name":"faas_invocations_total","Unit":"Count"}]}]},"faas_trigger":"http","service":"orders","faas_invocations_total":2}
}
