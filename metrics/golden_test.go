package metrics_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// scenario drives a Recorder through a cold start, warm successes, errors,
// a timeout, every phase and the telemetry-health paths.
func scenario(r *metrics.Recorder) {
	results := []metrics.InvocationResult{
		{Trigger: metrics.TriggerHTTP, Duration: 180 * time.Millisecond, RequestBytes: 512, ResponseBytes: 2048,
			Start: metrics.Start{Kind: metrics.StartCold, InitDuration: 95 * time.Millisecond}},
		{Trigger: metrics.TriggerHTTP, Duration: 12 * time.Millisecond, RequestBytes: 300, ResponseBytes: 90},
		{Trigger: metrics.TriggerHTTP, Duration: 40 * time.Millisecond, RequestBytes: 300, ResponseBytes: 150,
			ErrorType: "errorString"},
		{Trigger: metrics.TriggerPubSub, Duration: 20 * time.Second, RequestBytes: 7 << 20, ResponseBytes: -1,
			Timeout: true},
	}
	for _, res := range results {
		r.InvocationStarted()
		r.ObservePhase(metrics.PhaseEventReceive, 200*time.Microsecond)
		r.ObservePhase(metrics.PhaseHandle, res.Duration)
		r.ObservePhase(metrics.PhasePost, 2*time.Millisecond)
		r.RecordInvocation(res)
		r.ObservePhase(metrics.PhaseFlush, 5*time.Millisecond)
		r.ObservePhase(metrics.PhasePollWait, 30*time.Second)
	}
	r.InvocationStarted() // one still in flight
	r.Dropped("pushgateway", exporters.SignalMetrics, 42)
	r.ExportFailed("pushgateway", exporters.SignalMetrics)
	r.FlushOverrun("otlp")
	r.FlushFailed("pushgateway")
	r.FlushSkipped("otlp")
}

func TestGoldenExposition(t *testing.T) {
	tests := []struct {
		name     string
		golden   string
		opts     []metrics.Option
		platform bool
	}{
		{name: "defaults", golden: "defaults.prom"},
		{
			name: "platform metrics", golden: "platform.prom", platform: true,
			opts: []metrics.Option{metrics.WithFunctionName("orders"), metrics.WithTriggers(metrics.TriggerHTTP),
				metrics.WithPricePerRequest(metrics.DefaultPricePerRequest), metrics.WithPricePerGBSecond(metrics.PricePerGBSecondX86)},
		},
		{
			name:   "function name and memory, one trigger",
			golden: "function.prom",
			opts: []metrics.Option{
				metrics.WithFunctionName("orders"), metrics.WithMaxMemory(512 << 20),
				metrics.WithConstLabels(prometheus.Labels{"stage": "prod"}),
				metrics.WithTriggers(metrics.TriggerHTTP),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder(t, tt.opts...)
			if tt.platform {
				platformScenario(r)
			} else {
				scenario(r)
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				writeGolden(t, r.Gatherer(), path)
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, testutil.GatherAndCompare(r.Gatherer(), bytes.NewReader(want)))
		})
	}
}

func writeGolden(t *testing.T, g prometheus.Gatherer, path string) {
	t.Helper()
	mfs, err := g.Gather()
	require.NoError(t, err)
	var buf bytes.Buffer
	for _, mf := range mfs {
		_, err := expfmt.MetricFamilyToText(&buf, mf)
		require.NoError(t, err)
	}
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		opts []metrics.Option
	}{
		{name: "own registry with runtime collectors", opts: []metrics.Option{metrics.WithRuntimeCollectors(true)}},
		{name: "classic histograms only", opts: []metrics.Option{metrics.WithNativeHistograms(false)}},
		{name: "function name", opts: []metrics.Option{metrics.WithFunctionName("f"), metrics.WithMaxMemory(1 << 20)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder(t, tt.opts...)
			scenario(r)
			platformScenario(r)
			problems, err := testutil.GatherAndLint(r.Gatherer())
			require.NoError(t, err)
			// The one accepted problem: faas_billed_gb_seconds_total is the
			// name Lumen's dashboards query, after Lambda's own "GB-second".
			require.Equal(t, []promlint.Problem{{
				Metric: "faas_billed_gb_seconds_total", Text: "metric names should not contain abbreviated units",
			}}, problems)
		})
	}
}
