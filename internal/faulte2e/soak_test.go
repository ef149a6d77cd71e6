package faulte2e_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The soak runs only with LUMEN_SOAK=1 (make soak): LUMEN_SOAK_INVOCATIONS
// invocations (default 50,000) through the real emulator for each of two
// configurations at once, 100,000 in all.
const (
	envSoak            = "LUMEN_SOAK"
	envSoakInvocations = "LUMEN_SOAK_INVOCATIONS"
)

// The soak's bounds. Memory and goroutines are sampled from the function's
// own metrics every 1/soakSamples of the run; the first samples (the first
// tenth of the run) are the warm-up, the baseline is the highest of the
// next three, and the highest of the last three must stay within it plus:
//
//   - 2 goroutines: the loop, the flushers and the listeners are a fixed
//     set; a background retry or a connection's goroutine may come and go,
//     a leak of one goroutine per invocation (or per thousand) cannot hide;
//   - 8 MiB of heap in use: the heap of a healthy function is a few MiB,
//     its highest point between two collections about twice the live heap;
//     a leak of 200 bytes per invocation over the 90% of the run after the
//     warm-up is 8.6 MiB at 50,000 invocations, and shows;
//   - 16 MiB of resident memory: the heap's bound plus what the runtime
//     keeps from the OS between scavenges.
const (
	soakSamples       = 20
	soakGoroutines    = 2
	soakHeapBytes     = 8 << 20
	soakResidentBytes = 16 << 20
)

// soakSample is the function's memory and goroutines at one point.
type soakSample struct {
	invocations          int
	goroutines, heap, rs float64
}

// soak runs n invocations, sampling the function's memory and goroutines,
// and checks they stayed flat (see the bounds above).
func soak(t *testing.T, f *function, n int) {
	t.Helper()
	every := max(1, n/soakSamples)
	var samples []soakSample
	start := time.Now()
	for done := 0; done < n; {
		batch := min(every, n-done)
		f.run(batch)
		done += batch
		m := f.waitMetrics("the function's metrics", func(map[string]float64) bool { return true })
		s := soakSample{invocations: done, goroutines: m["go_goroutines{}"],
			heap: m["go_memstats_heap_inuse_bytes{}"], rs: m["process_resident_memory_bytes{}"]}
		require.Positive(t, s.goroutines, "the function exposes go_goroutines")
		samples = append(samples, s)
		t.Logf("%7d invocations, %5.0f/s: %3.0f goroutines, %5.1f MiB heap in use, %5.1f MiB resident",
			done, float64(done)/time.Since(start).Seconds(), s.goroutines, s.heap/(1<<20), s.rs/(1<<20))
	}
	require.GreaterOrEqual(t, len(samples), 8, "enough samples to compare")
	warm := len(samples) / 10
	peak := func(ss []soakSample, v func(soakSample) float64) float64 {
		var p float64
		for _, s := range ss {
			p = max(p, v(s))
		}
		return p
	}
	base, last := samples[warm+1:warm+4], samples[len(samples)-3:]
	for _, c := range []struct {
		what  string
		v     func(soakSample) float64
		bound float64
	}{
		{"goroutines", func(s soakSample) float64 { return s.goroutines }, soakGoroutines},
		{"heap in use", func(s soakSample) float64 { return s.heap }, soakHeapBytes},
		{"resident memory", func(s soakSample) float64 { return s.rs }, soakResidentBytes},
	} {
		b, l := peak(base, c.v), peak(last, c.v)
		t.Logf("%s: %.0f after the warm-up, %.0f at the end (bound +%.0f)", c.what, b, l, c.bound)
		require.LessOrEqual(t, l, b+c.bound, "%s grew", c.what)
	}
}

// soakInvocations is how many invocations each soak sends.
func soakInvocations(t *testing.T) int {
	t.Helper()
	if os.Getenv(envSoak) != "1" {
		t.Skip("the soak runs with LUMEN_SOAK=1 (make soak)")
	}
	n := 50_000
	if v := os.Getenv(envSoakInvocations); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err, envSoakInvocations)
	}
	return n
}

// TestSoak sends LUMEN_SOAK_INVOCATIONS invocations (default 50,000)
// through the real emulator to each of two functions at once: one sending
// traces, metrics and logs over OTLP to a real Collector, one with Lambda's
// defaults (spans to the X-Ray daemon, metrics as EMF and logs on stdout).
// Memory and goroutines stay flat (see the bounds above), and with healthy
// backends nothing is dropped: every span, log line and invocation count
// arrives.
func TestSoak(t *testing.T) {
	n := soakInvocations(t)
	testfunc(t)
	t.Run("otlp", func(t *testing.T) {
		t.Parallel()
		endpoint, sink := startCountingCollector(t)
		f := startFunction(t, "OTEL_EXPORTER_OTLP_ENDPOINT="+endpoint, "OTEL_TRACES_EXPORTER=otlp",
			"OTEL_METRICS_EXPORTER=otlp", "OTEL_LOGS_EXPORTER=otlp")
		soak(t, f, n)
		require.True(t, poll(t.Context(), func() bool {
			return sink.workSpans.Load() == int64(n) && sink.workLog.Load() == int64(n) && sink.invocations.Load() == int64(n)
		}), "everything arrives: %d spans (%d handler spans), %d log records (%d work lines), %d invocations counted, of %d",
			sink.spans.Load(), sink.workSpans.Load(), sink.records.Load(), sink.workLog.Load(), sink.invocations.Load(), n)
		require.Equal(t, int64(n*spansPerInvocation+1), sink.spans.Load(), "every span once")
		require.Zero(t, sink.bad.Load())
		m := f.waitMetrics("the counts", func(map[string]float64) bool { return true })
		require.Zero(t, sum(m, "faas_telemetry_dropped_items_total"), "nothing dropped:\n%s", dump(m, "faas_telemetry"))
	})
	t.Run("lambda defaults", func(t *testing.T) {
		t.Parallel()
		d := startXRayDaemon(t)
		var emf, lines atomic.Int64
		pipe := newStdoutPipe(t, func(line []byte) {
			switch {
			case bytes.HasPrefix(line, []byte(`{"_aws"`)):
				var doc struct {
					Invocations float64 `json:"faas_invocations_total"`
				}
				if json.Unmarshal(line, &doc) == nil {
					emf.Add(int64(doc.Invocations))
				}
			case bytes.Contains(line, []byte(`message="faulte2e work"`)):
				lines.Add(1)
			}
		})
		f := startFunction(t, "AWS_XRAY_DAEMON_ADDRESS="+d.addr.String(), "FAULTE2E_STDOUT="+pipe.path,
			"OTEL_METRICS_EXPORTER=emf")
		soak(t, f, n)
		require.True(t, poll(t.Context(), func() bool {
			return len(d.received()) == n && emf.Load() == int64(n) && lines.Load() == int64(n)
		}), "everything arrives: %d handler spans, %d invocations in EMF, %d log lines, of %d", len(d.received()), emf.Load(), lines.Load(), n)
		m := f.waitMetrics("the counts", func(map[string]float64) bool { return true })
		require.Zero(t, sum(m, "faas_telemetry_dropped_items_total"), "nothing dropped:\n%s", dump(m, "faas_telemetry"))
	})
}
