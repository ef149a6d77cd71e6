package faulte2e_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/faultproxy"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// spansPerInvocation is what one "work" invocation ends: the invocation
// span, its receive, handle and post phases, and the handler's own span.
const spansPerInvocation = 5

// otlpBackend is a real Collector behind a fault proxy: the function's
// traces, metrics and logs all go over OTLP/HTTP through the proxy.
type otlpBackend struct {
	c     *collector.Collector
	proxy *faultproxy.Proxy
}

func startOTLPBackend(t *testing.T) *otlpBackend {
	t.Helper()
	c := collector.Start(t)
	return &otlpBackend{c: c, proxy: faultproxy.Start(t, strings.TrimPrefix(c.OTLPHTTPEndpoint(), "http://"))}
}

// env selects OTLP for the three signals, through the proxy, with
// Lumen's defaults otherwise (the flush budget included).
func (b *otlpBackend) env() []string {
	return []string{
		"OTEL_EXPORTER_OTLP_ENDPOINT=" + b.proxy.URL(),
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_TRACES_EXPORTER=otlp",
		"OTEL_METRICS_EXPORTER=otlp",
		"OTEL_LOGS_EXPORTER=otlp",
	}
}

// workSpans returns the seq of every handler span the collector forwarded,
// and how many distinct spans it forwarded in all (see resent).
func (b *otlpBackend) workSpans() (map[int64]int, int) {
	seqs := map[int64]int{}
	spans := b.c.Spans()
	ids := make(map[string]bool, len(spans))
	for _, s := range spans {
		ids[string(s.GetTraceId())+string(s.GetSpanId())] = true
		if s.GetName() == "faulte2e.work" {
			if v, ok := otlptest.Attributes(s.GetAttributes())["faulte2e.seq"].(int64); ok {
				seqs[v]++
			}
		}
	}
	return seqs, len(ids)
}

// resent returns how many spans and log records the collector forwarded
// more than once. An export whose answer was lost (the proxy closes every
// open connection as a fault begins, and a request the collector had taken
// then gets no answer) is kept and sent again, as OTLP's retries are: the
// backend may receive those items twice. Only the one export per signal
// in flight at that moment can be, so at most one batch each.
func (b *otlpBackend) resent() (spans, records int) {
	return len(b.c.Spans()) - b.distinctSpans(), len(b.c.LogRecords()) - b.logRecords()
}

// maxExportBatch is the most spans, or log records, one export request
// holds: OTEL_BSP_MAX_EXPORT_BATCH_SIZE and OTEL_BLRP_MAX_EXPORT_BATCH_SIZE
// left at their default.
const maxExportBatch = 512

func (b *otlpBackend) distinctSpans() int {
	_, n := b.workSpans()
	return n
}

// workLogs returns the seq of every "faulte2e work" record forwarded.
func (b *otlpBackend) workLogs() map[int64]int {
	seqs := map[int64]int{}
	for _, r := range b.c.LogRecords() {
		if r.GetBody().GetStringValue() == "faulte2e work" {
			if v, ok := otlptest.Attributes(r.GetAttributes())["seq"].(int64); ok {
				seqs[v]++
			}
		}
	}
	return seqs
}

// invocations returns the highest faas.invocations total forwarded: the
// metrics are cumulative, so it counts every invocation flushed so far.
// (Over gRPC the metrics keep their Prometheus names.)
func (b *otlpBackend) invocations() int64 {
	var most float64
	for _, m := range b.c.Metrics() {
		if m.GetName() != "faas.invocations" && m.GetName() != "faas_invocations_total" {
			continue
		}
		var total float64
		for _, p := range m.GetSum().GetDataPoints() {
			total += p.GetAsDouble() + float64(p.GetAsInt())
		}
		most = max(most, total)
	}
	return int64(most)
}

// flowing reports whether spans, logs and metrics of an invocation at or
// after from have arrived.
func (b *otlpBackend) flowing(from int) bool {
	spans, _ := b.workSpans()
	logs := b.workLogs()
	return hasFrom(spans, from) && hasFrom(logs, from) && b.invocations() > int64(from)
}

func hasFrom(seqs map[int64]int, from int) bool {
	for s := range seqs {
		if s >= int64(from) {
			return true
		}
	}
	return false
}

// logLines counts the lines the function logged through slog's default
// logger (the Lambda log handler writes them on stdout, one per record):
// the log exporter gets the same records.
func logLines(output string) int {
	n := 0
	for _, l := range strings.Split(output, "\n") {
		if strings.HasPrefix(l, "timestamp=") {
			n++
		}
	}
	return n
}

// logRecords returns how many distinct log records the collector forwarded
// (see resent).
func (b *otlpBackend) logRecords() int {
	seen := map[string]bool{}
	for _, r := range b.c.LogRecords() {
		seen[fmt.Sprint(r.GetTimeUnixNano(), r.GetObservedTimeUnixNano(), r.GetSpanId(), r.GetBody().GetStringValue())] = true
	}
	return len(seen)
}

// TestOTLPFaults is the fault matrix of the OTLP exporters: every backend
// fault in front of a real Collector, for traces, metrics and logs at once,
// with Lumen's defaults (a 1 s flush budget, buffers of 2048 spans and 2048
// log records). The faulty phase lasts until every flusher has failed
// again in a background retry. For each fault:
//
//   - every answer is right, before, during and after the fault;
//   - each flusher (traces; otlp for metrics, otlp for logs) reports its failure
//     exactly once: only the first flush waited for the failing backend,
//     the flush point then backed off (the failures of its background
//     retries are counted, not reported);
//   - every span and log record either reached the collector or was
//     counted as dropped, exactly; a failure worth retrying (no answer,
//     refused, garbage bytes, 429, 503) drops only spans beyond the
//     buffer's bound and no log record or metric point, and the cumulative
//     invocation count arrives whole; a failure that is not (500, a 200
//     whose body is not OTLP) drops and counts what it carried;
//   - after the heal all three signals flow again; the test logs how long
//     it took, and the median invocation latency healthy and faulty.
func TestOTLPFaults(t *testing.T) {
	testfunc(t)
	tests := []struct {
		fault     faultproxy.Fault
		retryable bool
	}{
		{fault: faultRefused, retryable: true},
		{fault: faultBlackholed, retryable: true},
		{fault: faultSlow, retryable: true},
		{fault: faultUnavail, retryable: true},
		{fault: faultThrottled, retryable: true},
		{fault: faultGarbage, retryable: true},
		{fault: faultInternal},
		{fault: faultNotOTLP},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			b := startOTLPBackend(t)
			f := startFunction(t, b.env()...)
			c := &cell{exporter: "otlp (traces, metrics, logs)", fault: tt.fault, f: f, path: b.proxy, flowing: b.flowing,
				retried: func(m map[string]float64) bool {
					return failedFlushes(m, "traces") >= 2 && failedFlushes(m, "otlp") >= 4
				}}
			c.run(t)

			out := f.em.Output()
			require.Equal(t, map[string]int{"traces": 1, "otlp": 2}, reports(out),
				"each flusher waited for the failing backend once, then backed off:\n%s", out)

			// Every span and record arrived or was counted as dropped.
			n := f.next
			m := b.waitAccounted(f)
			_, spans := b.workSpans()
			t.Logf("%d invocations, %d during the fault; %d spans, %d log records of %d lines arrived; counts:\n%s",
				n, c.faulty, spans, b.logRecords(), logLines(f.em.Output()), dump(m, "faas_telemetry"))
			requireBackedOff(t, m, out, "traces", "otlp")
			droppedSpans := int(sum(m, "faas_telemetry_dropped_items_total", `signal="traces"`))
			if !tt.retryable {
				require.Positive(t, droppedSpans)
				require.Positive(t, sum(m, "faas_telemetry_dropped_items_total", `signal="logs"`))
				require.Positive(t, sum(m, "faas_telemetry_dropped_items_total", `signal="metrics"`))
				return
			}
			// Spans beyond the buffer's bound, and only those, were
			// dropped: those of the faulty phase, which may have begun a
			// flush early, and of the invocations after the heal until a
			// retry got through.
			bound := 2048
			require.GreaterOrEqual(t, droppedSpans, max(0, c.faulty*spansPerInvocation-bound), "spans beyond the bound are dropped")
			require.LessOrEqual(t, droppedSpans, max(0, (c.faulty+1+c.recovering)*spansPerInvocation-bound), "only spans beyond the bound are dropped")
			require.Zero(t, sum(m, "faas_telemetry_dropped_items_total", `signal="logs"`), "log records within the bound are kept")
			require.Zero(t, sum(m, "faas_telemetry_dropped_items_total", `signal="metrics"`), "the next request carries the totals")
			require.Len(t, b.workLogs(), n, "every invocation's log line arrived")
		})
	}
}

// TestOTLPGRPCFaults is the fault matrix of OTLP over gRPC (exporters/
// otlpgrpc, the SDK's exporters), for the faults below HTTP: refused,
// blackholed, garbage bytes. For each: every answer is right; each flusher
// (traces, otlpmetric, otlplog) reports its failure once and backs off;
// every span either reaches the Collector or is counted as dropped
// (retryable failures keep spans in the span processor, within its bound);
// every log record likewise; after the heal all three signals flow again.
// The test logs the latencies and the recovery time, which here includes
// gRPC's own reconnection backoff (1 s at first).
func TestOTLPGRPCFaults(t *testing.T) {
	testfunc(t)
	for _, fault := range []faultproxy.Fault{faultRefused, faultBlackholed, faultGarbage} {
		t.Run(fault.String(), func(t *testing.T) {
			c := collector.Start(t)
			b := &otlpBackend{c: c, proxy: faultproxy.Start(t, strings.TrimPrefix(c.OTLPGRPCEndpoint(), "http://"))}
			env := b.env()
			env[1] = "OTEL_EXPORTER_OTLP_PROTOCOL=grpc"
			f := startFunction(t, env...)
			cl := &cell{exporter: "otlp over grpc (traces, metrics, logs)", fault: fault, f: f, path: b.proxy, flowing: b.flowing,
				retried: func(m map[string]float64) bool {
					return failedFlushes(m, "traces") >= 2 && failedFlushes(m, "otlpmetric") >= 2 && failedFlushes(m, "otlplog") >= 2
				}}
			cl.run(t)

			out := f.em.Output()
			require.Equal(t, map[string]int{"traces": 1, "otlpmetric": 1, "otlplog": 1}, reports(out),
				"each flusher waited for the failing backend once, then backed off:\n%s", out)
			n := f.next
			m := b.waitAccounted(f)
			t.Logf("%d invocations, %d during the fault, %d after the heal; counts:\n%s", n, cl.faulty, cl.recovering, dump(m, "faas_telemetry"))
			for _, flusher := range []string{"traces", "otlpmetric", "otlplog"} {
				requireBackedOff(t, m, out, flusher)
			}
			droppedSpans := int(sum(m, "faas_telemetry_dropped_items_total", `signal="traces"`))
			require.LessOrEqual(t, droppedSpans, max(0, (cl.faulty+1+cl.recovering)*spansPerInvocation-2048),
				"only spans beyond the bound are dropped")
		})
	}
}

// waitAccounted waits until every span and log record of f's invocations
// so far (and the cold start's lumen.init span) reached the Collector or
// was counted as dropped, and every invocation reached it, and returns the
// function's samples then. Items sent twice count once (see resent), and
// there are no more of them than one export request holds.
func (b *otlpBackend) waitAccounted(f *function) map[string]float64 {
	f.t.Helper()
	n := f.next
	wantSpans := n*spansPerInvocation + 1
	defer func() {
		spans, records := b.resent()
		f.t.Logf("sent twice: %d spans, %d log records", spans, records)
		require.LessOrEqual(f.t, spans, maxExportBatch, "spans sent twice: one export's at most")
		require.LessOrEqual(f.t, records, maxExportBatch, "log records sent twice: one export's at most")
	}()
	return f.waitMetrics("every span and log record accounted for", func(m map[string]float64) bool {
		_, spans := b.workSpans()
		return spans+int(sum(m, "faas_telemetry_dropped_items_total", `signal="traces"`)) == wantSpans &&
			b.logRecords()+int(sum(m, "faas_telemetry_dropped_items_total", `signal="logs"`)) == logLines(f.em.Output()) &&
			b.invocations() == int64(n)
	}, func() string {
		_, spans := b.workSpans()
		return fmt.Sprintf("%d of %d spans, %d of %d log records, %d of %d invocations arrived",
			spans, wantSpans, b.logRecords(), logLines(f.em.Output()), b.invocations(), n)
	})
}
