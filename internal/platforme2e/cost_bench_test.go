package platforme2e_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lumen-rt/lumen/internal/rie"
)

// BenchmarkManagedPlatformCost measures what platform telemetry costs per
// invocation in the function's process, under the emulator's
// managed-instances mode, with it off and on in the same run: the CPU time
// the process used (user and system, as the function itself reads it),
// and the bytes it exported over OTLP/HTTP (protobuf, no compression),
// spans and metrics, to a receiver that counts them. Everything else is
// the same: the runtime's own spans and metrics, flushed after every
// invocation, with cumulative metrics (every series at every flush, the
// default) or delta ones (only the series that changed). Compare with
// benchstat -col /platform.
func BenchmarkManagedPlatformCost(b *testing.B) {
	bin := testfunc(b)
	for _, temporality := range []string{"cumulative", "delta"} {
		for _, mode := range []string{"off", "on"} {
			b.Run("temporality="+temporality+"/platform="+mode, func(b *testing.B) {
				managedCost(b, bin, mode == "on", temporality)
			})
		}
	}
}

// managedCost runs one emulator: platform telemetry on or off, metrics of
// the temporality given.
func managedCost(b *testing.B, bin string, on bool, temporality string) {
	recv := newCountingReceiver(b)
	em := rie.StartManaged(b, bin, rie.WithMaxConcurrency(1), rie.WithFunctionName(function), rie.WithEnv(
		"LUMEN_PLATFORM_TELEMETRY="+strconv.FormatBool(on),
		"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE="+temporality,
		"OTEL_EXPORTER_OTLP_ENDPOINT="+recv.srv.URL,
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_TRACES_EXPORTER=otlp",
		"OTEL_METRICS_EXPORTER=otlp",
		"OTEL_BSP_SCHEDULE_DELAY=600000",
		"OTEL_TRACES_SAMPLER=",
	))
	// Past the cold start, the first series and the first reports.
	var last *reply
	for range 20 {
		last, _ = invoke(b, em, `{}`)
	}
	cpu0 := last.CPUMicros
	traces0, metrics0 := recv.traces.Load(), recv.metrics.Load()
	n := 0
	for b.Loop() {
		last, _ = invoke(b, em, `{}`)
		n++
	}
	perInvocation := func(v int64) float64 { return float64(v) / float64(n) }
	b.ReportMetric(perInvocation(last.CPUMicros-cpu0), "cpu-µs/invocation")
	b.ReportMetric(perInvocation(recv.traces.Load()-traces0), "trace-B/invocation")
	b.ReportMetric(perInvocation(recv.metrics.Load()-metrics0), "metric-B/invocation")
}

// countingReceiver accepts OTLP/HTTP exports and counts their bytes.
type countingReceiver struct {
	srv             *httptest.Server
	traces, metrics atomic.Int64
}

func newCountingReceiver(t testing.TB) *countingReceiver {
	r := &countingReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n, _ := io.Copy(io.Discard, req.Body)
		switch {
		case strings.HasSuffix(req.URL.Path, "/v1/traces"):
			r.traces.Add(n)
		case strings.HasSuffix(req.URL.Path, "/v1/metrics"):
			r.metrics.Add(n)
		}
		// An empty protobuf message: the export was accepted whole.
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.srv.Close)
	return r
}
