package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

func TestRecordInvocation(t *testing.T) {
	tests := []struct {
		name    string
		results []metrics.InvocationResult
		want    map[string]float64 // series that must have these values
		absent  []string           // series that must not exist
	}{
		{
			name: "success",
			results: []metrics.InvocationResult{{
				Trigger: metrics.TriggerHTTP, Duration: 250 * time.Millisecond, RequestBytes: 100, ResponseBytes: 2000,
			}},
			want: map[string]float64{
				`faas_invocations_total{faas_trigger="http"}`:             1,
				`faas_invoke_duration_seconds_count{faas_trigger="http"}`: 1,
				`faas_invoke_duration_seconds_sum{faas_trigger="http"}`:   0.25,
				`faas_request_size_bytes_sum{faas_trigger="http"}`:        100,
				`faas_response_size_bytes_sum{faas_trigger="http"}`:       2000,
				`faas_timeouts_total{faas_trigger="http"}`:                0,
				`faas_coldstarts_total{faas_trigger="http"}`:              0,
				`faas_inflight_invocations`:                               0,
			},
			absent: []string{`faas_errors_total`, `faas_init_duration_seconds_count{faas_trigger="http"}`},
		},
		{
			name: "error counted as an invocation and by type",
			results: []metrics.InvocationResult{
				{Trigger: metrics.TriggerPubSub, ErrorType: "Runtime.ExitError", Duration: time.Second},
				{Trigger: metrics.TriggerPubSub, ErrorType: "Runtime.ExitError"},
				{Trigger: metrics.TriggerPubSub},
			},
			want: map[string]float64{
				`faas_invocations_total{faas_trigger="pubsub"}`:                           1 + 1 + 1,
				`faas_errors_total{error_type="Runtime.ExitError",faas_trigger="pubsub"}`: 2,
				`faas_invoke_duration_seconds_sum{faas_trigger="pubsub"}`:                 1,
			},
		},
		{
			name: "timeout without error type is Sandbox.Timedout",
			results: []metrics.InvocationResult{
				{Trigger: metrics.TriggerTimer, Timeout: true, Duration: 3 * time.Second},
			},
			want: map[string]float64{
				`faas_invocations_total{faas_trigger="timer"}`:                          1,
				`faas_timeouts_total{faas_trigger="timer"}`:                             1,
				`faas_errors_total{error_type="Sandbox.Timedout",faas_trigger="timer"}`: 1,
			},
		},
		{
			name: "timeout keeps its own error type",
			results: []metrics.InvocationResult{
				{Trigger: metrics.TriggerTimer, Timeout: true, ErrorType: "deadlineExceededError"},
			},
			want: map[string]float64{
				`faas_timeouts_total{faas_trigger="timer"}`:                                  1,
				`faas_errors_total{error_type="deadlineExceededError",faas_trigger="timer"}`: 1,
			},
			absent: []string{`faas_errors_total{error_type="Sandbox.Timedout",faas_trigger="timer"}`},
		},
		{
			name: "cold start counts and times the init",
			results: []metrics.InvocationResult{
				{Trigger: metrics.TriggerHTTP, Start: metrics.Start{Kind: metrics.StartCold, InitDuration: 120 * time.Millisecond}},
				{Trigger: metrics.TriggerHTTP},
			},
			want: map[string]float64{
				`faas_coldstarts_total{faas_trigger="http"}`:            1,
				`faas_init_duration_seconds_count{faas_trigger="http"}`: 1,
				`faas_init_duration_seconds_sum{faas_trigger="http"}`:   0.12,
				`faas_invocations_total{faas_trigger="http"}`:           2,
			},
			absent: []string{`faas_proactive_initializations_total{faas_trigger="http"}`},
		},
		{
			name: "proactive init is not a cold start",
			results: []metrics.InvocationResult{
				{Trigger: metrics.TriggerDatasource, Start: metrics.Start{Kind: metrics.StartProactive, InitDuration: time.Second}},
			},
			want: map[string]float64{
				`faas_proactive_initializations_total{faas_trigger="datasource"}`: 1,
				`faas_coldstarts_total{faas_trigger="datasource"}`:                0,
			},
			absent: []string{`faas_init_duration_seconds_count{faas_trigger="datasource"}`},
		},
		{
			name: "pre-initialised start counts nothing extra",
			results: []metrics.InvocationResult{
				{Trigger: metrics.TriggerOther, Start: metrics.Start{Kind: metrics.StartPreInitialized, InitDuration: time.Second}},
			},
			want: map[string]float64{
				`faas_invocations_total{faas_trigger="other"}`: 1,
				`faas_coldstarts_total{faas_trigger="other"}`:  0,
			},
			absent: []string{
				`faas_init_duration_seconds_count{faas_trigger="other"}`,
				`faas_proactive_initializations_total{faas_trigger="other"}`,
			},
		},
		{
			name: "unknown sizes are not observed, negative duration is 0",
			results: []metrics.InvocationResult{
				{Trigger: metrics.TriggerHTTP, Duration: -time.Second, RequestBytes: -1, ResponseBytes: -1},
			},
			want: map[string]float64{
				`faas_invoke_duration_seconds_count{faas_trigger="http"}`: 1,
				`faas_invoke_duration_seconds_sum{faas_trigger="http"}`:   0,
				`faas_request_size_bytes_count{faas_trigger="http"}`:      0,
				`faas_response_size_bytes_count{faas_trigger="http"}`:     0,
			},
		},
		{
			name:    "out-of-range trigger is other",
			results: []metrics.InvocationResult{{Trigger: metrics.Trigger(200)}},
			want:    map[string]float64{`faas_invocations_total{faas_trigger="other"}`: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder(t)
			for _, res := range tt.results {
				r.InvocationStarted()
				r.RecordInvocation(res)
			}
			got := series(t, r.Gatherer())
			for k, v := range tt.want {
				require.Contains(t, got, k)
				require.InDelta(t, v, got[k], 1e-9, k)
			}
			for _, k := range tt.absent {
				require.Empty(t, seriesOf(got, k), k)
			}
		})
	}
}

func TestInflight(t *testing.T) {
	r := newRecorder(t)
	r.InvocationStarted()
	r.InvocationStarted()
	require.InDelta(t, 2, series(t, r.Gatherer())["faas_inflight_invocations"], 0)
	r.RecordInvocation(metrics.InvocationResult{})
	require.InDelta(t, 1, series(t, r.Gatherer())["faas_inflight_invocations"], 0)
}

func TestObservePhase(t *testing.T) {
	tests := []struct {
		name   string
		phase  metrics.Phase
		d      time.Duration
		metric string // histogram name
		labels string
	}{
		{"poll_wait", metrics.PhasePollWait, 2 * time.Second, "faas_phase_duration_seconds", `{phase="poll_wait"}`},
		{"event_receive", metrics.PhaseEventReceive, time.Millisecond, "faas_phase_duration_seconds", `{phase="event_receive"}`},
		{"handle", metrics.PhaseHandle, 40 * time.Millisecond, "faas_phase_duration_seconds", `{phase="handle"}`},
		{"post", metrics.PhasePost, 3 * time.Millisecond, "faas_phase_duration_seconds", `{phase="post"}`},
		{"flush has its own histogram", metrics.PhaseFlush, 7 * time.Millisecond, "faas_telemetry_flush_duration_seconds", ""},
		{"negative is 0", metrics.PhaseHandle, -time.Second, "faas_phase_duration_seconds", `{phase="handle"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder(t)
			r.ObservePhase(tt.phase, tt.d)
			got := series(t, r.Gatherer())
			require.InDelta(t, max(tt.d, 0).Seconds(), got[tt.metric+"_sum"+tt.labels], 1e-12)
			require.InDelta(t, 1, got[tt.metric+"_count"+tt.labels], 0)
			var observed int
			for k, v := range got {
				if v != 0 && k != "faas_inflight_invocations" {
					observed++
				}
			}
			want := 2 // the phase's own _count and _sum, nothing else
			if tt.d <= 0 {
				want = 1 // a zero sum does not show
			}
			require.Equal(t, want, observed)
		})
	}
	t.Run("unknown phase is ignored", func(t *testing.T) {
		r := newRecorder(t)
		r.ObservePhase(metrics.Phase(99), time.Second)
		for k, v := range series(t, r.Gatherer()) {
			if k != "faas_inflight_invocations" {
				require.Zero(t, v, k)
			}
		}
	})
}

func TestNilRecorder(t *testing.T) {
	var r *metrics.Recorder
	require.NotPanics(t, func() {
		r.InvocationStarted()
		r.RecordInvocation(metrics.InvocationResult{ErrorType: "x"})
		r.ObservePhase(metrics.PhaseHandle, time.Second)
		r.Dropped("x", "traces", 1)
		r.ExportFailed("x", "traces")
		r.FlushFailed("x")
		r.FlushOverrun("x")
		r.FlushSkipped("x")
	})
	mfs, err := r.Gatherer().Gather()
	require.NoError(t, err)
	require.Empty(t, mfs)
	require.NoError(t, r.Registerer().Register(newTestCounter()))
}
