package e2e_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
)

// TestLoggingManaged runs the function under the managed-instances emulator
// with two workers, JSON logs at DEBUG and spans exported to a real
// collector, and checks the correlation fields of each line against the
// invocation: its request id, the Root of its trace header, and the trace
// and span ids of the spans the collector received.
func TestLoggingManaged(t *testing.T) {
	c := collector.Start(t)
	em := rie.StartManaged(t, testfunc(t), rie.WithMaxConcurrency(2), rie.WithFunctionName(tracedFunction),
		otlpEnv("http/protobuf", c.OTLPHTTPEndpoint(), "LUMEN_METRICS_EXPORTER=none",
			"OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=600000", // delivered by the flush point only
			"AWS_LAMBDA_LOG_FORMAT=JSON", "AWS_LAMBDA_LOG_LEVEL=DEBUG"))

	t.Run("handler lines carry the invocation and lumen.handle", func(t *testing.T) {
		seg := newSegment(300)
		const msg = "managed line"
		hs := decodeHandlerSpan(t, invoke(t, em, event{Op: "log", Message: msg}, seg.header("1")))
		spans := waitTrace(t, c, seg.traceID(), 4)
		inv, handle := requireInvocationTree(t, spans, seg, tracedFunction, tracepb.Span_SPAN_KIND_SERVER)
		require.Equal(t, hexID(handle.GetSpanId()), hs.SpanID)
		invAttrs := otlptest.Attributes(inv.GetAttributes())

		lines := waitMessage(t, em, jsonLines, msg, "ERROR")
		require.Equal(t, []string{"DEBUG", "INFO", "WARN", "ERROR"}, levels(lines))
		for _, l := range lines {
			require.Equal(t, invAttrs["faas.invocation_id"], l["requestId"], "line %v", l)
			require.Equal(t, hs.RequestID, l["requestId"], "line %v", l)
			require.Equal(t, hs.RequestID, l["function_request_id"], "line %v", l)
			require.Equal(t, seg.root, l["xray_trace_id"], "line %v", l)
			require.Equal(t, hexID(handle.GetTraceId()), l["trace_id"], "line %v", l)
			require.Equal(t, hexID(handle.GetSpanId()), l["span_id"], "line %v", l)
			require.Equal(t, invAttrs["aws.lambda.invoked_arn"], l["function_arn"], "line %v", l)
			require.Equal(t, false, l["cold_start"], "managed instances have no cold start")
		}

		// OTEL_LOGS_EXPORTER=otlp tees the same records to the collector.
		records := waitLogRecords(t, c, msg, 4)
		var severities []int32
		for _, r := range records {
			severities = append(severities, int32(r.GetSeverityNumber()))
			require.Equal(t, hexID(handle.GetTraceId()), hexID(r.GetTraceId()))
			require.Equal(t, hexID(handle.GetSpanId()), hexID(r.GetSpanId()))
			ra := otlptest.Attributes(r.GetAttributes())
			require.Equal(t, hs.RequestID, ra["faas.invocation_id"], "record %v", ra)
			require.Equal(t, "before", ra["phase"], "record %v", ra)
		}
		require.Equal(t, []int32{5, 9, 13, 17}, severities, "DEBUG, INFO, WARN, ERROR")
	})

	t.Run("the runtime logs a failed invocation at ERROR", func(t *testing.T) {
		seg := newSegment(301)
		resp := invoke(t, em, event{Op: "error", Message: "card declined"}, seg.header("1"))
		require.Equal(t, "ValidationError", errorDocument(t, resp).Type)
		inv := named(t, waitTrace(t, c, seg.traceID(), 4), tracedFunction)

		lines := waitLines(t, em, jsonLines, "the runtime's failure line", func(lines []logLine) bool {
			for _, l := range where(lines, "invocation failed") {
				if l["xray_trace_id"] == seg.root {
					return true
				}
			}
			return false
		})
		var failed []logLine
		for _, l := range where(lines, "invocation failed") {
			if l["xray_trace_id"] == seg.root {
				failed = append(failed, l)
			}
		}
		require.Len(t, failed, 1)
		l := failed[0]
		require.Equal(t, "ERROR", l["level"])
		require.Equal(t, "ValidationError", l["errorType"])
		require.Equal(t, "validation failed: card declined", l["errorMessage"])
		require.Equal(t, otlptest.Attributes(inv.GetAttributes())["faas.invocation_id"], l["requestId"])
		require.Equal(t, l["requestId"], l["function_request_id"])
		require.Equal(t, seg.traceID(), l["trace_id"])
		require.Equal(t, hexID(inv.GetSpanId()), l["span_id"], "logged in the invocation span's context")
	})

	t.Run("concurrent invocations never swap ids", func(t *testing.T) {
		const workers = 2
		segs := []segment{newSegment(310), newSegment(311)}
		hss := make([]*handlerSpan, workers)
		resps := make([]*rie.Response, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for i := range workers {
			wg.Go(func() {
				// Each handler logs four lines, waits until both run, then
				// logs four more: the lines of the two interleave.
				ev := event{Op: "log", Message: fmt.Sprintf("concurrent %d", i), N: workers}
				resps[i], errs[i] = em.InvokeJSON(t.Context(), ev, segs[i].header("1"))
			})
		}
		wg.Wait()
		for i := range workers {
			require.NoError(t, errs[i])
			hss[i] = decodeHandlerSpan(t, resps[i])
		}
		require.NotEqual(t, hss[0].RequestID, hss[1].RequestID)

		for i := range workers {
			msg := fmt.Sprintf("concurrent %d", i)
			lines := where(waitLines(t, em, jsonLines, msg, func(lines []logLine) bool {
				return len(where(lines, msg)) >= 8
			}), msg)
			require.Len(t, lines, 8, "four levels before and after the barrier")
			for _, l := range lines {
				require.Equal(t, hss[i].RequestID, l["requestId"], "line %v", l)
				require.Equal(t, hss[i].RequestID, l["function_request_id"], "line %v", l)
				require.Equal(t, segs[i].root, l["xray_trace_id"], "line %v", l)
				require.Equal(t, segs[i].traceID(), l["trace_id"], "line %v", l)
				require.Equal(t, hss[i].SpanID, l["span_id"], "line %v", l)
			}
		}
		// The handler's span is lumen.handle (TestTracingOTLP and the first
		// subtest prove it); the collector's copy of these two invocations'
		// spans is not awaited here: see
		// TestTracingConcurrentInvocationsFlushTheirOwnSpans.
	})
}

// waitLogRecords waits until the collector forwarded at least n log records
// whose body is msg, and returns them in arrival order.
func waitLogRecords(t *testing.T, c *collector.Collector, msg string, n int) []*logspb.LogRecord {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	for {
		all := c.LogRecords()
		var got []*logspb.LogRecord
		for _, r := range all {
			if r.GetBody().GetStringValue() == msg {
				got = append(got, r)
			}
		}
		if len(got) >= n {
			return got
		}
		if _, err := c.WaitLogRecords(ctx, len(all)+1); err != nil {
			t.Fatalf("waiting for %d log records %q: %v; %d of them arrived", n, msg, err, len(got))
		}
	}
}
