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

// Exporters that encode metrics themselves read a Recorder's series with
// Visit: no gather, no allocation, the OpenTelemetry names alongside the
// Prometheus ones.
func ExampleRecorder_Visit() {
	rec, err := metrics.New(metrics.WithFunctionName("orders"), metrics.WithRuntimeCollectors(false),
		metrics.WithTriggers())
	if err != nil {
		panic(err)
	}
	rec.InvocationStarted()
	rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP, Duration: 30 * time.Millisecond,
		RequestBytes: -1, ResponseBytes: -1})

	rec.Visit(func(s *metrics.Series) {
		if s.Name != "faas_invocations_total" && s.Name != "faas_invoke_duration_seconds" {
			return
		}
		var attrs []string
		for _, l := range s.Labels {
			attrs = append(attrs, l.Key+"="+l.Value)
		}
		switch s.Kind {
		case metrics.KindHistogram:
			fmt.Println(s.OTelName, s.Unit, attrs, "count", s.Count, "sum", s.Sum)
		default:
			fmt.Println(s.OTelName, s.Unit, attrs, s.Value)
		}
	})
	// Output:
	// faas.invoke_duration s [faas.name=orders faas.trigger=http] count 1 sum 0.03
	// faas.invocations {invocation} [faas.name=orders faas.trigger=http] 1
}

// What Lambda reports through the Telemetry API is recorded next to what
// the runtime measures, with the estimated cost of each invocation.
func ExampleRecorder_RecordPlatformReport() {
	rec, err := metrics.New(metrics.WithRuntimeCollectors(false), metrics.WithTriggers(),
		metrics.WithPricePerRequest(0.0000002), metrics.WithPricePerGBSecond(0.0000166667))
	if err != nil {
		panic(err)
	}
	rec.RecordPlatformReport(metrics.PlatformReport{
		Trigger: metrics.TriggerHTTP, Status: metrics.StatusSuccess,
		Duration: 41 * time.Millisecond, BilledDuration: 42 * time.Millisecond,
		MaxMemoryUsedBytes: 96 << 20, MemoryLimitBytes: 128 << 20,
	})
	rec.Visit(func(s *metrics.Series) {
		switch s.Name {
		case "faas_billed_gb_seconds_total", "faas_estimated_cost_usd_total":
			fmt.Printf("%s %.4g\n", s.Name, s.Value)
		case "faas_memory_utilization_ratio":
			fmt.Printf("%s %.2f\n", s.Name, s.Sum)
		}
	})
	// Output:
	// faas_memory_utilization_ratio 0.75
	// faas_billed_gb_seconds_total 0.00525
	// faas_estimated_cost_usd_total 2.875e-07
}
