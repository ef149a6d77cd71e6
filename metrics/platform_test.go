package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

// platformScenario drives a Recorder through what the Telemetry API
// reports: an init, three invocations' reports (a success, an out-of-memory
// error, a timeout) and their runtimeDone events.
func platformScenario(r *metrics.Recorder) {
	r.RecordPlatformInit(metrics.PlatformInitReport{InitType: metrics.InitOnDemand, Duration: 180 * time.Millisecond})
	r.RecordPlatformReport(metrics.PlatformReport{
		Trigger: metrics.TriggerHTTP, Status: metrics.StatusSuccess, Duration: 12 * time.Millisecond,
		BilledDuration: 13 * time.Millisecond, MaxMemoryUsedBytes: 64 << 20, MemoryLimitBytes: 128 << 20,
		InitDuration: 180 * time.Millisecond, // the init reported again: observed once
	})
	r.RecordPlatformReport(metrics.PlatformReport{
		Trigger: metrics.TriggerHTTP, Status: metrics.StatusError, ErrorType: "Runtime.OutOfMemory",
		Duration: 900 * time.Millisecond, BilledDuration: 900 * time.Millisecond,
		MaxMemoryUsedBytes: 128 << 20, MemoryLimitBytes: 128 << 20,
	})
	r.RecordPlatformReport(metrics.PlatformReport{
		Trigger: metrics.TriggerPubSub, Status: metrics.StatusTimeout, ErrorType: "Sandbox.Timedout",
		Duration: 3 * time.Second, BilledDuration: 3 * time.Second, MaxMemoryUsedBytes: 100 << 20,
	})
	r.RecordPlatformRuntimeDone(metrics.PlatformRuntimeDone{
		Trigger: metrics.TriggerHTTP, ResponseLatency: 10 * time.Millisecond, ResponseDuration: 100 * time.Microsecond,
		ProducedBytes: 2048,
	})
	r.RecordPlatformRuntimeDone(metrics.PlatformRuntimeDone{
		Trigger: metrics.TriggerPubSub, ResponseLatency: -1, ResponseDuration: -1, ProducedBytes: -1,
	})
}

func TestPlatformMetrics(t *testing.T) {
	r := newRecorder(t, metrics.WithPricePerRequest(0.2), metrics.WithPricePerGBSecond(10))
	require.Empty(t, seriesOf(series(t, r.Gatherer()), "faas_mem_usage_bytes"), "no report, no series")
	platformScenario(r)
	got := series(t, r.Gatherer())
	const gbs = 0.125 * 0.013 // 128 MiB for 13 ms
	const oom = 0.125 * 0.9
	want := map[string]float64{
		`faas_mem_usage_bytes_count{faas_trigger="http"}`:                                                    2,
		`faas_mem_usage_bytes_sum{faas_trigger="http"}`:                                                      192 << 20,
		`faas_mem_usage_bytes_count{faas_trigger="pubsub"}`:                                                  1,
		`faas_memory_utilization_ratio_sum{faas_trigger="http"}`:                                             1.5,
		`faas_billed_duration_seconds_sum{faas_trigger="http"}`:                                              0.913,
		`faas_platform_duration_seconds_sum{faas_trigger="pubsub"}`:                                          3,
		`faas_platform_init_duration_seconds_count{init_type="on-demand"}`:                                   1,
		`faas_platform_init_duration_seconds_sum{init_type="on-demand"}`:                                     0.18,
		`faas_response_latency_seconds_sum{faas_trigger="http"}`:                                             0.01,
		`faas_response_duration_seconds_sum{faas_trigger="http"}`:                                            0.0001,
		`faas_produced_bytes_sum{faas_trigger="http"}`:                                                       2048,
		`faas_invocation_status_total{faas_trigger="http",status="success"}`:                                 1,
		`faas_invocation_status_total{error_type="Runtime.OutOfMemory",faas_trigger="http",status="error"}`:  1,
		`faas_invocation_status_total{error_type="Sandbox.Timedout",faas_trigger="pubsub",status="timeout"}`: 1,
		`faas_billed_gb_seconds_total{faas_trigger="http"}`:                                                  gbs + oom,
		`faas_estimated_cost_usd_total{faas_trigger="http"}`:                                                 2*0.2 + (gbs+oom)*10,
		`faas_estimated_cost_usd_total{faas_trigger="pubsub"}`:                                               0.2, // memory unknown: the request only
	}
	for k, v := range want {
		require.Contains(t, got, k)
		require.InDelta(t, v, got[k], 1e-9, k)
	}
	for _, absent := range []string{
		`faas_memory_utilization_ratio_count{faas_trigger="pubsub"}`, // no limit known
		`faas_billed_gb_seconds_total{faas_trigger="pubsub"}`,
		`faas_response_latency_seconds_count{faas_trigger="pubsub"}`, // unknown values
		`faas_produced_bytes_count{faas_trigger="pubsub"}`,
		`faas_restore_duration_seconds_count`,
	} {
		require.NotContains(t, got, absent)
	}
}

func TestPlatformMemoryFromOption(t *testing.T) {
	r := newRecorder(t, metrics.WithMaxMemory(1<<30), metrics.WithPricePerRequest(0), metrics.WithPricePerGBSecond(1))
	r.RecordPlatformReport(metrics.PlatformReport{Trigger: metrics.TriggerTimer, BilledDuration: 2 * time.Second, MaxMemoryUsedBytes: 256 << 20})
	got := series(t, r.Gatherer())
	require.InDelta(t, 2, got[`faas_billed_gb_seconds_total{faas_trigger="timer"}`], 1e-12)
	require.InDelta(t, 2, got[`faas_estimated_cost_usd_total{faas_trigger="timer"}`], 1e-12)
	require.InDelta(t, 0.25, got[`faas_memory_utilization_ratio_sum{faas_trigger="timer"}`], 1e-12)
}

// Lambda Managed Instances report only the duration: nothing billed, no
// memory, no cost.
func TestPlatformReportWithDurationOnly(t *testing.T) {
	r := newRecorder(t, metrics.WithMaxMemory(1<<30))
	r.RecordPlatformReport(metrics.PlatformReport{Trigger: metrics.TriggerHTTP, Status: metrics.StatusSuccess, Duration: 7 * time.Millisecond})
	got := series(t, r.Gatherer())
	require.InDelta(t, 0.007, got[`faas_platform_duration_seconds_sum{faas_trigger="http"}`], 1e-12)
	require.InDelta(t, 1, got[`faas_invocation_status_total{faas_trigger="http",status="success"}`], 0)
	for _, absent := range []string{"faas_billed_duration_seconds", "faas_billed_gb_seconds_total", "faas_estimated_cost_usd_total", "faas_mem_usage_bytes"} {
		require.Empty(t, seriesOf(got, absent+"_count"), absent)
		require.Empty(t, seriesOf(got, absent), absent)
	}
}

func TestPlatformLabels(t *testing.T) {
	tests := []struct {
		name   string
		report metrics.PlatformReport
		want   string
	}{
		{"empty status is success", metrics.PlatformReport{}, `faas_invocation_status_total{faas_trigger="other",status="success"}`},
		{"empty status with an error type is error", metrics.PlatformReport{ErrorType: "Runtime.ExitError"},
			`faas_invocation_status_total{error_type="Runtime.ExitError",faas_trigger="other",status="error"}`},
		{"unknown status is other", metrics.PlatformReport{Status: "exploded"}, `faas_invocation_status_total{faas_trigger="other",status="other"}`},
		{"failure", metrics.PlatformReport{Status: metrics.StatusFailure, ErrorType: "Runtime.Unknown"},
			`faas_invocation_status_total{error_type="Runtime.Unknown",faas_trigger="other",status="failure"}`},
		{"error types are bounded like the runtime's", metrics.PlatformReport{Status: "error", ErrorType: "Unlisted"},
			`faas_invocation_status_total{error_type="other",faas_trigger="other",status="error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder(t, metrics.WithMaxErrorTypes(0))
			r.RecordPlatformReport(tt.report)
			require.InDelta(t, 1, series(t, r.Gatherer())[tt.want], 0)
		})
	}
	for in, want := range map[metrics.InitType]string{
		"": "on-demand", metrics.InitSnapStart: "snap-start", metrics.InitManagedInstances: "lambda-managed-instances", "future": "other",
	} {
		r := newRecorder(t)
		r.RecordPlatformInit(metrics.PlatformInitReport{InitType: in, Duration: time.Second})
		require.InDelta(t, 1, series(t, r.Gatherer())[`faas_platform_init_duration_seconds_count{init_type="`+want+`"}`], 0, in)
	}
}

func TestPlatformRestoreOnce(t *testing.T) {
	r := newRecorder(t)
	r.RecordPlatformRestore(300 * time.Millisecond)
	r.RecordPlatformReport(metrics.PlatformReport{RestoreDuration: 300 * time.Millisecond})
	r.RecordPlatformRestore(time.Second)
	got := series(t, r.Gatherer())
	require.InDelta(t, 1, got["faas_restore_duration_seconds_count"], 0)
	require.InDelta(t, 0.3, got["faas_restore_duration_seconds_sum"], 1e-12)
}

func TestPlatformPriceOptions(t *testing.T) {
	for _, opt := range []metrics.Option{
		metrics.WithPricePerRequest(-1), metrics.WithPricePerGBSecond(-1), metrics.WithPricePerGBSecond(1e400 * 0),
	} {
		_, err := metrics.New(opt)
		if err == nil { // 0 is a valid price
			continue
		}
		require.ErrorIs(t, err, metrics.ErrInvalidOption)
	}
	require.Contains(t, []float64{metrics.PricePerGBSecondX86, metrics.PricePerGBSecondARM}, metrics.DefaultPricePerGBSecond())
}
