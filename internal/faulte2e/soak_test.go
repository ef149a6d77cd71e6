package faulte2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/testenv"
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

// countingSink is an OTLP/HTTP receiver that counts what it gets and keeps
// nothing, so that a soak's hundreds of thousands of items cost it no
// memory.
type countingSink struct {
	srv                                *httptest.Server
	spans, workSpans, records, workLog atomic.Int64
	invocations                        atomic.Int64 // the highest faas.invocations total
	bad                                atomic.Int64
}

func newCountingSink(t *testing.T) *countingSink {
	t.Helper()
	s := &countingSink{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", s.handle(func(b []byte) error {
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return err
		}
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					s.spans.Add(1)
					if sp.GetName() == "faulte2e.work" {
						s.workSpans.Add(1)
					}
				}
			}
		}
		return nil
	}))
	mux.HandleFunc("POST /v1/logs", s.handle(func(b []byte) error {
		var req collogspb.ExportLogsServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return err
		}
		for _, rl := range req.GetResourceLogs() {
			for _, sl := range rl.GetScopeLogs() {
				for _, r := range sl.GetLogRecords() {
					s.records.Add(1)
					if r.GetBody().GetStringValue() == "faulte2e work" {
						s.workLog.Add(1)
					}
				}
			}
		}
		return nil
	}))
	mux.HandleFunc("POST /v1/metrics", s.handle(func(b []byte) error {
		var req colmetricspb.ExportMetricsServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			return err
		}
		for _, rm := range req.GetResourceMetrics() {
			for _, sm := range rm.GetScopeMetrics() {
				for _, m := range sm.GetMetrics() {
					if m.GetName() != "faas.invocations" {
						continue
					}
					var total int64
					for _, p := range m.GetSum().GetDataPoints() {
						total += int64(p.GetAsDouble()) + p.GetAsInt()
					}
					for {
						old := s.invocations.Load()
						if total <= old || s.invocations.CompareAndSwap(old, total) {
							break
						}
					}
				}
			}
		}
		return nil
	}))
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *countingSink) handle(count func([]byte) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := otlptest.ReadBody(r)
		if err == nil {
			err = count(b)
		}
		if err != nil {
			s.bad.Add(1)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}
}

// startCountingCollector runs the real Collector (OTLP/HTTP in, batched,
// OTLP/HTTP out) in front of a counting sink, and returns its endpoint.
func startCountingCollector(t *testing.T) (string, *countingSink) {
	t.Helper()
	bin := testenv.Tool(t, collector.ToolName)
	sink := newCountingSink(t)
	addr, grpcAddr := testenv.FreeAddr(t), testenv.FreeAddr(t)
	cfg := filepath.Join(t.TempDir(), "otelcol.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf(`receivers:
  otlp:
    protocols:
      grpc:
        endpoint: %s
      http:
        endpoint: %s
processors:
  batch:
    timeout: 10ms
exporters:
  otlphttp:
    endpoint: %s
    compression: none
    encoding: proto
    retry_on_failure:
      enabled: false
    sending_queue:
      enabled: false
service:
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [otlphttp]}
    metrics: {receivers: [otlp], processors: [batch], exporters: [otlphttp]}
    logs: {receivers: [otlp], processors: [batch], exporters: [otlphttp]}
`, grpcAddr, addr, sink.srv.URL)), 0o600))
	p := testenv.Start(t, exec.Command(bin, "--config", cfg))
	ctx, cancel := contextWithWait(t)
	defer cancel()
	require.NoError(t, testenv.WaitHTTP(ctx, "http://"+addr+"/v1/traces", p.Exited()), "the collector did not start:\n%s", p.Output())
	return "http://" + addr, sink
}

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
