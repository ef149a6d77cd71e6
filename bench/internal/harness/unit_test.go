package harness_test

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/bench/internal/harness"
	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkFlushXRay-2         	     200	     94768 ns/op	    4343 B/op	      35 allocs/op
BenchmarkFlushPushgateway/faas-only-2   	  100	  607085 ns/op	   99910 B/op	     802 allocs/op
BenchmarkNoMem-16   	  10	  12.5 ns/op
BenchmarkCPU/x-2   	  10	  12.5 ns/op	  30.5 cpu-ns/op	  8 B/op	  1 allocs/op
--- FAIL: BenchmarkBroken
PASS
`
	got, err := harness.ParseBench(strings.NewReader(out))
	require.NoError(t, err)
	require.Equal(t, []harness.BenchLine{
		{Name: "BenchmarkFlushXRay", Iterations: 200, NsPerOp: 94768, BytesPerOp: 4343, AllocsPerOp: 35},
		{Name: "BenchmarkFlushPushgateway/faas-only", Iterations: 100, NsPerOp: 607085, BytesPerOp: 99910, AllocsPerOp: 802},
		{Name: "BenchmarkNoMem", Iterations: 10, NsPerOp: 12.5},
		{Name: "BenchmarkCPU/x", Iterations: 10, NsPerOp: 12.5, CPUNsPerOp: 30.5, BytesPerOp: 8, AllocsPerOp: 1},
	}, got)
}

func TestStatistics(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var ds []time.Duration
		for _, x := range n {
			ds = append(ds, time.Duration(x)*time.Millisecond)
		}
		return ds
	}
	tests := []struct {
		name     string
		in       []time.Duration
		p50, p99 time.Duration
		median   time.Duration
	}{
		{name: "empty"},
		{name: "one", in: ms(7), p50: 7 * time.Millisecond, p99: 7 * time.Millisecond, median: 7 * time.Millisecond},
		{name: "odd", in: ms(5, 1, 3), p50: 3 * time.Millisecond, p99: 5 * time.Millisecond, median: 3 * time.Millisecond},
		{name: "even", in: ms(4, 1, 3, 2), p50: 2 * time.Millisecond, p99: 4 * time.Millisecond, median: 2500 * time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.p50, harness.Percentile(tt.in, 0.5))
			require.Equal(t, tt.p99, harness.Percentile(tt.in, 0.99))
			require.Equal(t, tt.median, harness.MedianDuration(tt.in))
		})
	}
}

func TestSummarize(t *testing.T) {
	mk := func(wall time.Duration, cpu int64, allocs uint64) harness.Sample {
		return harness.Sample{
			Invocations: 10, Wall: wall, Latencies: []time.Duration{time.Millisecond},
			Before: workload.Stats{UserNanos: 1000, AllocObjects: 5, AllocBytes: 100},
			After:  workload.Stats{UserNanos: 1000 + cpu, AllocObjects: 5 + allocs, AllocBytes: 100 + allocs*16},
			Sink:   harness.SinkCounts{Traces: 10, Metrics: 10, Datagrams: 40},
		}
	}
	s := harness.Summarize([]harness.Sample{mk(10*time.Millisecond, 5000, 300), mk(30*time.Millisecond, 9000, 100), mk(20*time.Millisecond, 7000, 200)})
	require.InDelta(t, 2e6, s.Ns, 1e-9)
	require.InDelta(t, 700, s.CPU, 1e-9)
	require.InDelta(t, 20, s.Allocs, 1e-9)
	require.InDelta(t, 320, s.Bytes, 1e-9)
	require.InDelta(t, 500, s.PerSecond, 1e-9)
	require.InDelta(t, 2, s.Exports, 1e-9)
	require.InDelta(t, 4, s.Datagrams, 1e-9)
	require.Equal(t, time.Millisecond, s.P99)
}

func TestCheckResponse(t *testing.T) {
	event := workload.NewEvent(100)
	tests := []struct {
		name    string
		v       harness.Variant
		body    string
		wantErr string
	}{
		{name: "handler", v: harness.AWSLambda, body: `{"message":"hello, bench","bytes":` + itoa(len(event)-len(`{"name":"bench","payload":""}`)) + `}`},
		{name: "floor", v: harness.Floor, body: `{"message":"floor","bytes":` + itoa(len(event)) + `}`},
		{name: "wrong size", v: harness.AWSLambda, body: `{"message":"hello, bench","bytes":1}`, wantErr: "want"},
		{name: "floor answer from a runtime", v: harness.LumenOff, body: `{"message":"floor","bytes":100}`, wantErr: "want"},
		{name: "not JSON", v: harness.LumenOff, body: `oops`, wantErr: "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := harness.CheckResponse(tt.v, event, []byte(tt.body))
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestGroup(t *testing.T) {
	got := harness.Group([]harness.Share{
		{Name: "runtime.mallocgc", Value: 30},
		{Name: "net/http.(*Transport).roundTrip", Value: 20},
		{Name: "net/textproto.readMIMEHeader", Value: 10},
		{Name: "github.com/prometheus/client_golang/prometheus.(*Registry).Gather", Value: 40},
	})
	require.Equal(t, []harness.Share{
		{Name: "Prometheus client", Value: 40, Percent: 40},
		{Name: "Go allocator", Value: 30, Percent: 30},
		{Name: "net/http", Value: 30, Percent: 30},
	}, got)
}

func TestProcessCPU(t *testing.T) {
	s := workload.ReadStats()
	cpu, err := harness.ProcessCPU(s.PID)
	require.NoError(t, err)
	require.GreaterOrEqual(t, cpu, time.Duration(0))
	_, err = harness.ProcessCPU(-1)
	require.Error(t, err)
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestParseInitTrace(t *testing.T) {
	log := `init internal/bytealg @0 ms, 0 ms clock, 0 bytes, 0 allocs
init runtime @0.44 ms, 0.047 ms clock, 0 bytes, 0 allocs
some line the function wrote
init google.golang.org/protobuf/reflect/protoregistry @2.1 ms, 0.52 ms clock, 4096 bytes, 12 allocs
`
	require.Equal(t, []harness.Share{
		{Name: "google.golang.org/protobuf/reflect/protoregistry", Value: 0.52},
		{Name: "runtime", Value: 0.047},
		{Name: "internal/bytealg", Value: 0},
	}, harness.ParseInitTrace([]byte(log)))
}

func TestCumulativeProfileLines(t *testing.T) {
	out := `File: lumenotel.prof
      flat  flat%   sum%        cum   cum%
     0.25s 19.69% 19.69%      0.25s 19.69%  internal/runtime/syscall/linux.Syscall6
      10ms  0.79% 20.48%      0.41s 32.28%  github.com/lumen-rt/lumen/exporters/otlpmetric.(*Exporter).ForceFlush
`
	shares := harness.ParseTop([]byte(out))
	require.Equal(t, []harness.Share{
		{Name: "internal/runtime/syscall/linux.Syscall6", Value: 250, Percent: 19.69, CumPercent: 19.69},
		{Name: "github.com/lumen-rt/lumen/exporters/otlpmetric.(*Exporter).ForceFlush", Value: 10, Percent: 0.79, CumPercent: 32.28},
	}, shares)
}

func TestSinkCountsDatagrams(t *testing.T) {
	sink := harness.NewSink()
	defer sink.Close()
	conn, err := net.Dial("udp", sink.XRayAddress())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte(`{"format":"json","version":1}` + "\n" + `{"name":"x"}`))
	require.NoError(t, err)
	// The datagram is read by the sink's own goroutine: Counts waits for
	// what was sent before it.
	got := sink.Counts()
	require.EqualValues(t, 1, got.Datagrams)
	require.Zero(t, got.Traces+got.Metrics+got.Logs+got.Other)
	require.Positive(t, got.Bytes)
}

// TestSinkCountsBurst: a burst of datagrams sent just before Counts (a
// final flush's, as the function exits) is counted whole, markers aside.
func TestSinkCountsBurst(t *testing.T) {
	sink := harness.NewSink()
	defer sink.Close()
	conn, err := net.Dial("udp", sink.XRayAddress())
	require.NoError(t, err)
	defer conn.Close()
	const n = 500
	for range n {
		_, err = conn.Write([]byte(`{"format":"json","version":1}` + "\n" + `{"name":"lumen.handle"}`))
		require.NoError(t, err)
	}
	got := sink.Counts()
	require.EqualValues(t, n, got.Datagrams)
	require.EqualValues(t, n, got.XRayHandles)
	require.EqualValues(t, n, sink.Counts().Datagrams, "markers are not counted")
}

func TestTargets(t *testing.T) {
	sample := func(cpu int64, allocs uint64) harness.Sample {
		return harness.Sample{Invocations: 1, Wall: time.Millisecond, After: workload.Stats{UserNanos: cpu, AllocObjects: allocs}}
	}
	// Three rounds; the ratios are taken within each round.
	rounds := func(cpu ...int64) []harness.Sample {
		var ss []harness.Sample
		for _, c := range cpu {
			ss = append(ss, sample(c, uint64(c/10)))
		}
		return ss
	}
	complete := &harness.Delivery{Served: 10, Logged: 8, Exited: true,
		AtExit: harness.Arrived{Spans: 10, Logs: 8, Metrics: 10}}
	lost := &harness.Delivery{Served: 10, Logged: 8, Exited: true,
		AtExit: harness.Arrived{Spans: 9, Logs: 8, Metrics: 10}}
	withDelivery := func(ss []harness.Sample, d *harness.Delivery) []harness.Sample {
		for i := range ss {
			ss[i].Delivery = d
		}
		return ss
	}
	r := &harness.Results{
		Fake: map[string][]harness.Sample{
			harness.AWSLambda.Name:  rounds(1000, 2000, 1000),
			harness.OTelLambda.Name: rounds(2000, 4000, 2000),
			// 1.05×, 1.5×, 1.05×: the median round meets 1.10×.
			harness.LumenDefaults.Name: withDelivery(rounds(1050, 3000, 1050), complete),
			harness.LumenOTLPEnd.Name:  withDelivery(rounds(2100, 4200, 2100), complete),
			harness.LumenOTLP.Name:     withDelivery(rounds(1100, 2200, 1100), lost),
		},
		ColdStarts: map[string][]time.Duration{
			harness.AWSLambda.Name:     {3 * time.Millisecond},
			harness.LumenDefaults.Name: {3900 * time.Microsecond},
			harness.LumenOTLP.Name:     {5500 * time.Microsecond},
		},
		Sizes:      map[string]int64{harness.AWSLambda.Command(): 100, harness.LumenOTLP.Command(): 210},
		InitTraces: map[string][][]harness.Share{harness.LumenOff.Name: {{{Value: 1}}}, harness.LumenOTLP.Name: {{{Value: 1.4}}}},
	}
	got := map[string]harness.Target{}
	for _, tg := range harness.Targets(r) {
		got[tg.Goal] = tg
	}
	find := func(prefix string) harness.Target {
		t.Helper()
		for goal, tg := range got {
			if strings.HasPrefix(goal, prefix) {
				return tg
			}
		}
		t.Fatalf("no target %q in %v", prefix, got)
		return harness.Target{}
	}
	tests := []struct {
		prefix string
		met    bool
	}{
		{prefix: "Lumen, Lambda defaults: CPU per invocation ≤ 1.10×", met: true},
		{prefix: "Lumen, Lambda defaults: allocations per invocation ≤ 1.5×", met: true},
		{prefix: "Lumen, OTLP, `end`: CPU per invocation ≤ 1.00×", met: false},
		{prefix: "Lumen, OTLP, default strategy (`" + harness.DefaultStrategy() + "`): CPU per invocation ≤ 1.15×", met: true},
		{prefix: "Lumen, Lambda defaults: cold start", met: true},
		{prefix: "Lumen, OTLP, default strategy: cold start", met: false},
		{prefix: "nothing lost, every Lumen configuration flushed with `" + harness.DefaultStrategy() + "`", met: false},
		{prefix: "binary of a hello-like function", met: false},
		{prefix: "package init", met: true},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			tg := find(tt.prefix)
			require.True(t, tg.Known)
			require.Equal(t, tt.met, tg.Met, tg.Measured)
		})
	}
	for goal := range got {
		if strings.HasSuffix(goal, "(emulator)") {
			t.Errorf("emulator target %q without emulator samples", goal)
		}
	}
}

func TestRoundRatio(t *testing.T) {
	s := func(cpu ...int64) []harness.Sample {
		var ss []harness.Sample
		for _, c := range cpu {
			ss = append(ss, harness.Sample{Invocations: 1, After: workload.Stats{UserNanos: c}})
		}
		return ss
	}
	r := harness.RoundRatio(s(200, 300, 100), s(100, 100, 100), harness.CPU)
	require.Equal(t, harness.Ratio{Median: 2, Min: 1, Max: 3, Rounds: 3}, r)
	require.Zero(t, harness.RoundRatio(s(1), nil, harness.CPU).Rounds)
}
