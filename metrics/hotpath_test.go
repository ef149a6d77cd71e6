package metrics_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

// warmResults are the invocations the hot-path tests and benchmarks repeat.
var warmResults = []metrics.InvocationResult{
	{Trigger: metrics.TriggerHTTP, Duration: 12 * time.Millisecond, RequestBytes: 300, ResponseBytes: 90},
	{Trigger: metrics.TriggerHTTP, Duration: 40 * time.Millisecond, RequestBytes: 300, ResponseBytes: 150, ErrorType: "errorString"},
	{Trigger: metrics.TriggerPubSub, Duration: 2 * time.Second, RequestBytes: 4096, ResponseBytes: 2, Timeout: true},
	{Trigger: metrics.TriggerTimer, Duration: time.Millisecond, RequestBytes: 0, ResponseBytes: -1, ErrorType: "AdmittedError"},
}

func TestHotPathDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	r := newRecorder(t)
	for _, res := range warmResults { // first sight of each trigger and error type
		r.InvocationStarted()
		r.RecordInvocation(res)
	}
	health := func() {
		r.Dropped("otlp", "traces", 3)
		r.ExportFailed("otlp", "traces")
		r.FlushOverrun("otlp")
		r.FlushFailed("emf")
		r.FlushSkipped("otlp")
	}
	report := metrics.PlatformReport{Trigger: metrics.TriggerHTTP, Status: metrics.StatusError, ErrorType: "Runtime.OutOfMemory",
		Duration: time.Second, BilledDuration: time.Second, MaxMemoryUsedBytes: 128 << 20, MemoryLimitBytes: 128 << 20}
	done := metrics.PlatformRuntimeDone{Trigger: metrics.TriggerHTTP, ResponseLatency: time.Millisecond, ProducedBytes: 10}
	platform := func() {
		r.RecordPlatformReport(report)
		r.RecordPlatformRuntimeDone(done)
	}
	health()   // first sight of each component name
	platform() // and of each platform series
	tests := []struct {
		name string
		f    func()
	}{
		{"InvocationStarted+RecordInvocation", func() {
			for _, res := range warmResults {
				r.InvocationStarted()
				r.RecordInvocation(res)
			}
		}},
		{"ObservePhase", func() {
			for p := range metrics.PhaseFlush + 1 {
				r.ObservePhase(p, 3*time.Millisecond)
			}
		}},
		{"health counters", health},
		{"platform report and runtimeDone", platform},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Zero(t, testing.AllocsPerRun(1000, tt.f))
		})
	}
}

func TestRecorderConcurrentSafe(t *testing.T) {
	r := newRecorder(t, metrics.WithMaxErrorTypes(5))
	const workers, perWorker = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				r.InvocationStarted()
				r.ObservePhase(metrics.PhaseHandle, time.Millisecond)
				r.RecordInvocation(metrics.InvocationResult{
					Trigger:   metrics.AllTriggers()[i%5],
					Duration:  time.Millisecond,
					ErrorType: fmt.Sprintf("E%d", (w*perWorker+i)%50), // 50 types race for 5 places
				})
				r.ObservePhase(metrics.PhaseFlush, time.Millisecond)
				r.Dropped(fmt.Sprintf("exp%d", w), "traces", 1)
			}
		})
	}
	// Scrapes run while the workers record.
	wg.Go(func() {
		for range 20 {
			_, err := r.Gatherer().Gather()
			assert.NoError(t, err)
		}
	})
	wg.Wait()

	got := series(t, r.Gatherer())
	var invocations, errs, dropped float64
	for _, k := range seriesOf(got, "faas_invocations_total") {
		invocations += got[k]
	}
	errSeries := seriesOf(got, "faas_errors_total")
	for _, k := range errSeries {
		errs += got[k]
	}
	for _, k := range seriesOf(got, "faas_telemetry_dropped_items_total") {
		dropped += got[k]
	}
	require.InDelta(t, workers*perWorker, invocations, 0)
	require.InDelta(t, workers*perWorker, errs, 0)
	require.InDelta(t, workers*perWorker, dropped, 0)
	require.InDelta(t, 0, got["faas_inflight_invocations"], 0)
	require.InDelta(t, workers*perWorker, got[`faas_phase_duration_seconds_count{phase="handle"}`], 0)
	require.LessOrEqual(t, len(errSeries), (5+1)*5, "5 admitted types + other, per trigger")
}

func BenchmarkRecordInvocation(b *testing.B) {
	r, err := metrics.New(metrics.WithFunctionName("bench"), metrics.WithMaxMemory(0))
	require.NoError(b, err)
	tests := []struct {
		name string
		res  metrics.InvocationResult
	}{
		{"success", warmResults[0]},
		{"error", warmResults[1]},
		{"timeout", warmResults[2]},
	}
	for _, tt := range tests {
		r.InvocationStarted()
		r.RecordInvocation(tt.res)
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.InvocationStarted()
				r.RecordInvocation(tt.res)
			}
		})
	}
	b.Run("success/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r.InvocationStarted()
				r.RecordInvocation(warmResults[0])
			}
		})
	})
}

func BenchmarkHealth(b *testing.B) {
	r, err := metrics.New(metrics.WithRuntimeCollectors(false))
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		r.Dropped("otlp", "traces", 1)
		r.FlushFailed("emf")
	}
}

func BenchmarkRecordPlatformReport(b *testing.B) {
	r, err := metrics.New(metrics.WithRuntimeCollectors(false))
	require.NoError(b, err)
	rep := metrics.PlatformReport{Trigger: metrics.TriggerHTTP, Status: metrics.StatusSuccess,
		Duration: 12 * time.Millisecond, BilledDuration: 13 * time.Millisecond, MaxMemoryUsedBytes: 64 << 20, MemoryLimitBytes: 128 << 20}
	b.ReportAllocs()
	for b.Loop() {
		r.RecordPlatformReport(rep)
	}
}

func BenchmarkObservePhase(b *testing.B) {
	for _, native := range []bool{true, false} {
		b.Run(map[bool]string{true: "native", false: "classic"}[native], func(b *testing.B) {
			r, err := metrics.New(metrics.WithFunctionName("bench"), metrics.WithMaxMemory(0), metrics.WithNativeHistograms(native))
			require.NoError(b, err)
			b.ReportAllocs()
			d := 3 * time.Millisecond
			for b.Loop() {
				r.ObservePhase(metrics.PhaseHandle, d)
			}
		})
	}
}

// BenchmarkGather measures one gather of a Recorder after a few
// invocations, as every metrics flush does: with the Go runtime and process
// collectors (the default of Lumen's own registry, read at most once a
// second), with them read on every gather, without them, and without native
// histograms.
func BenchmarkGather(b *testing.B) {
	configs := []struct {
		name string
		opts []metrics.Option
	}{
		{"collectors", nil},
		{"collectors/every-gather", []metrics.Option{metrics.WithRuntimeCollectorsMaxAge(0)}},
		{"faas-only", []metrics.Option{metrics.WithRuntimeCollectors(false)}},
		{"faas-only/classic", []metrics.Option{metrics.WithRuntimeCollectors(false), metrics.WithNativeHistograms(false)}},
	}
	for _, c := range configs {
		b.Run(c.name, func(b *testing.B) {
			r, err := metrics.New(append([]metrics.Option{metrics.WithFunctionName("bench"), metrics.WithMaxMemory(0)}, c.opts...)...)
			require.NoError(b, err)
			for _, res := range warmResults {
				r.InvocationStarted()
				r.RecordInvocation(res)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Gatherer().Gather(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
