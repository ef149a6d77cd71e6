package harness_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/bench/internal/harness"
	"github.com/lumen-rt/lumen/bench/internal/workload"
	"github.com/lumen-rt/lumen/internal/testenv"
)

// binaries are the variants' binaries, built once per test binary into dir
// (made and removed by TestMain).
var binaries = struct {
	sync.Mutex
	dir  string
	bins map[string]string
}{bins: map[string]string{}}

func binary(t *testing.T, v harness.Variant, kind harness.BuildKind) string {
	t.Helper()
	binaries.Lock()
	defer binaries.Unlock()
	key := v.Command() + string(rune('0'+kind))
	if b, ok := binaries.bins[key]; ok {
		return b
	}
	b, err := harness.Build(t.Context(), binaries.dir, v, kind)
	require.NoError(t, err)
	binaries.bins[key] = b
	return b
}

// TestFakeRuntimeAPI drives 20 invocations of a 1 KiB event through every
// variant's binary against the fake Runtime API, checking every answer, the
// counters the stats event reports, what the variants exported, and that
// every invocation's telemetry arrived once SIGTERM ended the process.
func TestFakeRuntimeAPI(t *testing.T) {
	for _, v := range harness.All() {
		t.Run(v.Name, func(t *testing.T) {
			sink := harness.NewSink()
			defer sink.Close()
			r := harness.Run{Variant: v, Bin: binary(t, v, harness.Release), Sink: sink, LogDir: t.TempDir()}
			plan := harness.Plan{Event: workload.NewEvent(1024), Warm: 2, N: 20, CheckAll: true}
			s, err := harness.MeasureFake(t.Context(), r, plan)
			require.NoError(t, err)
			require.Equal(t, 20, s.Invocations)
			require.Len(t, s.Latencies, 20)
			require.Positive(t, s.After.PID)
			require.Equal(t, s.Before.PID, s.After.PID, "both stats events are answered by the same process")
			require.Greater(t, s.After.AllocObjects, s.Before.AllocObjects)
			require.Greater(t, s.After.AllocBytes, s.Before.AllocBytes)
			require.Positive(t, s.Wall)
			requireExports(t, v, s.Sink, 20)
			if !v.Exports.Any() {
				require.Nil(t, s.Delivery)
				return
			}
			require.NotNil(t, s.Delivery)
			d := *s.Delivery
			require.Equal(t, int64(plan.Warm+plan.N+2), d.Served)
			require.True(t, d.Exited, "the function exits on SIGTERM")
			require.True(t, d.Complete(), "every invocation's telemetry arrived: %+v", d)
		})
	}
}

// requireExports checks the OTLP requests and X-Ray datagrams a run of n
// invocations made: at least one per invocation and signal for what the
// variant flushes after every invocation, some for a deferred strategy
// (its first invocations are not yet busy ones), none for the rest.
func requireExports(t *testing.T, v harness.Variant, got harness.SinkCounts, n int64) {
	t.Helper()
	x := v.Exports
	want := map[string]bool{"traces": x.OTLPTraces, "metrics": x.OTLPMetrics, "logs": x.OTLPLogs, "xray": x.XRay}
	counts := map[string]int64{"traces": got.Traces, "metrics": got.Metrics, "logs": got.Logs, "xray": got.Datagrams}
	for signal, count := range counts {
		switch {
		case !want[signal]:
			require.Zero(t, count, "%s exports of %s", signal, v.Name)
		case v.Deferred:
			require.Positive(t, count, "%s exports of %s", signal, v.Name)
		default:
			require.GreaterOrEqual(t, count, n, "%s exports of %s", signal, v.Name)
		}
	}
	require.Zero(t, got.Other, "exports to unknown paths")
}

// TestEmulator drives 20 invocations through every variant under the real
// aws-lambda-rie in classic mode.
func TestEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real emulator")
	}
	tool := testenv.Tool(t, "aws-lambda-rie")
	for _, v := range harness.Variants() {
		t.Run(v.Name, func(t *testing.T) {
			sink := harness.NewSink()
			defer sink.Close()
			r := harness.Run{Variant: v, Bin: binary(t, v, harness.Release), Sink: sink, LogDir: t.TempDir()}
			s, err := harness.MeasureEmulator(t.Context(), tool, r, harness.Plan{Event: workload.NewEvent(1024), Warm: 2, N: 20, CheckAll: true})
			require.NoError(t, err)
			require.Equal(t, 20, s.Invocations)
			require.Greater(t, s.After.AllocObjects, s.Before.AllocObjects)
			require.GreaterOrEqual(t, s.EmulatorCPU, time.Duration(0))
			requireExports(t, v, s.Sink, 20)
		})
	}
}

// TestColdStarts starts every variant twice and times its first poll.
func TestColdStarts(t *testing.T) {
	for _, v := range harness.Variants() {
		t.Run(v.Name, func(t *testing.T) {
			r := harness.Run{Variant: v, Bin: binary(t, v, harness.Release), LogDir: t.TempDir()}
			ds, err := harness.ColdStarts(t.Context(), r, 2)
			require.NoError(t, err)
			require.Len(t, ds, 2)
			for _, d := range ds {
				require.Positive(t, d)
			}
		})
	}
}

// TestProfiled runs the profiling build of Lumen with OTLP flushed after
// every invocation and reads its profiles back through `go tool pprof`.
// The allocation profile samples one allocation per 64 KiB allocated: over
// 500 invocations, each with its flush, the exporters' allocations are
// sampled every time (over 50 they were missed now and then; under the
// adaptive default, 500 back-to-back invocations flush only a few times,
// and they were missed as well).
func TestProfiled(t *testing.T) {
	v := harness.LumenOTLPEnd
	sink := harness.NewSink()
	defer sink.Close()
	dir := t.TempDir()
	r := harness.Run{Variant: v, Bin: binary(t, v, harness.Profiled), Sink: sink, LogDir: dir}
	pr, err := harness.MeasureProfiled(t.Context(), r, harness.Plan{Event: workload.NewEvent(0), Warm: 2, N: 500}, dir+"/lumen-otlp")
	require.NoError(t, err)
	require.Len(t, pr.Files, 2)
	require.NotEmpty(t, pr.Allocs, "allocation areas")
	require.NotEmpty(t, pr.TopAllocs, "allocating functions")
	names := map[string]bool{}
	for _, s := range pr.Allocs {
		names[s.Name] = true
	}
	require.True(t, names["Lumen exporters"], "areas: %v", pr.Allocs)
}

// TestComposition reads the symbol sizes of an unstripped build.
func TestComposition(t *testing.T) {
	shares, err := harness.Composition(t.Context(), binary(t, harness.LumenOTLP, harness.Symbols))
	require.NoError(t, err)
	byName := map[string]float64{}
	for _, s := range shares {
		byName[s.Name] = s.Value
	}
	require.Positive(t, byName["Lumen"])
	require.Positive(t, byName["Go runtime"])
	require.Positive(t, byName["the workload"])
}
