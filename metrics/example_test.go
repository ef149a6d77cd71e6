package metrics_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lumen-rt/lumen/metrics"
)

// The runtime's side of one invocation: classify the start, count it in
// flight, time the phases, and record the result.
func Example() {
	rec, err := metrics.New(
		metrics.WithFunctionName("orders"),
		metrics.WithMaxMemory(0),
		metrics.WithRuntimeCollectors(false),
	)
	if err != nil {
		panic(err)
	}
	detector := metrics.NewColdStartDetector(metrics.InitOnDemand)
	detector.InitDone() // just before the first GET /next

	start := detector.Start() // the event has arrived
	rec.InvocationStarted()
	rec.ObservePhase(metrics.PhaseHandle, 42*time.Millisecond)
	rec.RecordInvocation(metrics.InvocationResult{
		Trigger:       metrics.TriggerHTTP,
		Duration:      45 * time.Millisecond,
		Start:         start,
		RequestBytes:  120,
		ResponseBytes: 17,
	})

	fmt.Println("cold start:", start.ColdStart())
	err = testutil.GatherAndCompare(rec.Gatherer(), strings.NewReader(`
# HELP faas_coldstarts_total Cold starts: first invocations of on-demand environments that waited for the init.
# TYPE faas_coldstarts_total counter
faas_coldstarts_total{faas_name="orders",faas_trigger="datasource"} 0
faas_coldstarts_total{faas_name="orders",faas_trigger="http"} 1
faas_coldstarts_total{faas_name="orders",faas_trigger="other"} 0
faas_coldstarts_total{faas_name="orders",faas_trigger="pubsub"} 0
faas_coldstarts_total{faas_name="orders",faas_trigger="timer"} 0
`), "faas_coldstarts_total")
	fmt.Println("exposition matches:", err == nil)
	// Output:
	// cold start: true
	// exposition matches: true
}

// Exporters report what they could not deliver through the Recorder, which
// implements exporters.DropCounter; the runtime reports flush outcomes.
func ExampleRecorder_Dropped() {
	rec, err := metrics.New(metrics.WithFunctionName(""), metrics.WithMaxMemory(0), metrics.WithRuntimeCollectors(false))
	if err != nil {
		panic(err)
	}
	rec.Dropped("pushgateway", "metrics", 12)
	rec.FlushOverrun("pushgateway")

	mfs, err := rec.Gatherer().Gather()
	if err != nil {
		panic(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if v := m.GetCounter().GetValue(); v > 0 {
				fmt.Println(mf.GetName(), v)
			}
		}
	}
	// Output:
	// faas_telemetry_dropped_items_total 12
	// faas_telemetry_flush_overruns_total 1
}

// ExampleWithDurationBuckets follows the OpenTelemetry advisory buckets to
// the letter instead of Lumen's extended layout.
func ExampleWithDurationBuckets() {
	_, err := metrics.New(
		metrics.WithDurationBuckets(metrics.SemconvDurationBuckets()...),
		metrics.WithNativeHistograms(false),
	)
	fmt.Println(err)
	// Output: <nil>
}

func ExampleClassifyStart() {
	fmt.Println(metrics.ClassifyStart(metrics.InitOnDemand, 5*time.Millisecond, metrics.DefaultProactiveInitThreshold))
	fmt.Println(metrics.ClassifyStart(metrics.InitOnDemand, 5*time.Minute, metrics.DefaultProactiveInitThreshold))
	fmt.Println(metrics.ClassifyStart(metrics.InitProvisionedConcurrency, 0, metrics.DefaultProactiveInitThreshold))
	// Output:
	// cold
	// proactive
	// pre_initialized
}
