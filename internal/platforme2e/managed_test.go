package platforme2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/platform"
)

// sent is one invocation the test sent and what Lambda should report of it.
type sent struct {
	id        string
	trigger   string
	status    string
	errorType string
}

// TestManagedPlatformTelemetry runs runtime.Start, configured by nothing
// but LUMEN_PLATFORM_TELEMETRY=true and the OTEL_* variables, under the
// emulator's managed-instances mode, which serves a real Telemetry API
// (schema 2025-01-29), with a real Collector between the function and the
// test. Each invocation's report (sent by Lambda after the invocation, so
// carried by a later flush) becomes:
//
//   - faas.platform_duration, faas.response_latency and
//     faas.response_duration observations and a faas.invocation_status
//     count, by trigger, whose counts and sums agree with the emulator's
//     own REPORT lines and with the invoker's answers (success, the error
//     type of a function error, Sandbox.Timedout for a timeout);
//   - a lambda.report span, child of its invocation span, lasting the
//     REPORT line's duration, with Lambda's sub-phases as its children;
//
// the init report becomes faas.platform_init_duration and a lambda.init
// span in the first invocation's trace; the metrics the emulator does not
// report (memory, billed duration, and so cost) are absent rather than
// made up; and the report of the last invocation, which arrives after its
// flush, leaves at SIGTERM.
func TestManagedPlatformTelemetry(t *testing.T) {
	bin := testfunc(t)
	col := collector.Start(t)
	// A 2 s timeout: the sleep below times out, the others have room. A
	// flush after every invocation, so that no flush runs between the last
	// invocation's and SIGTERM's (TestManagedConcurrentWorkers covers a
	// deferring strategy).
	em := startManaged(t, bin, rie.WithMaxConcurrency(1), rie.WithTimeout(2), rie.WithFunctionName(function),
		telemetryEnv(col, "LUMEN_FLUSH_STRATEGY=end"))

	var all []sent
	ok := func(payload, trigger string) string {
		r, resp := invoke(t, em, payload)
		require.Empty(t, resp.FunctionError(), "body: %.300s", resp.Body)
		require.NotEmpty(t, r.RequestID)
		all = append(all, sent{id: r.RequestID, trigger: trigger, status: "success"})
		return r.RequestID
	}
	first := ok(`{}`, "other")
	ok(apiGatewayEvent, "http")
	ok(`{"size":4096}`, "other")
	failed, resp := invoke(t, em, `{"op":"error"}`)
	require.Equal(t, "Function.ValidationError", resp.FunctionError())
	all = append(all, sent{id: failed.RequestID, trigger: "other", status: "error", errorType: resp.FunctionError()})
	_, resp = invoke(t, em, `{"op":"sleep","ms":2500}`)
	require.Equal(t, "Sandbox.Timedout", resp.FunctionError())
	timedOut := sent{trigger: "other", status: "timeout", errorType: "Sandbox.Timedout"}
	ok(`{}`, "other")

	// The timed-out invocation answered no request id: it is the REPORT
	// line of no other invocation.
	waitFor(t, func() bool { return len(emulatorReports(t, em.Output())) == len(all)+1 },
		func() string { return "a REPORT line per invocation\n" + em.Output() })
	for id := range emulatorReports(t, em.Output()) {
		if !containsID(all, id) {
			timedOut.id = id
		}
	}
	all = append(all, timedOut)

	// Each report arrives after its invocation's flush and leaves with a
	// later one: invoke until the reports of those so far have.
	sofar := len(all)
	waitFor(t, func() bool {
		idx := indexSpans(col.Spans())
		for _, s := range all[:sofar] {
			if idx.report[s.id] == nil {
				ok(`{}`, "other")
				return false
			}
		}
		return len(idx.init) == 1
	}, func() string { return fmt.Sprintf("reports of %d invocations\n%s", sofar, em.Output()) })

	// The last invocation: its spans leave with its own flush, its report
	// only with the final flush at SIGTERM. No flush runs between the two.
	last := ok(`{}`, "other")
	waitFor(t, func() bool { return indexSpans(col.Spans()).invocation[last] != nil },
		func() string { return "the last invocation's span" })
	require.Nil(t, indexSpans(col.Spans()).report[last], "the last report cannot leave before SIGTERM")
	em.Stop()
	waitFor(t, func() bool { return indexSpans(col.Spans()).report[last] != nil },
		func() string { return "the last report, at SIGTERM\n" + em.Output() })
	// The final flush's metrics count every invocation.
	waitFor(t, func() bool { return latest(col.Metrics()).total("faas.invocation_status").sum == float64(len(all)) },
		func() string {
			return fmt.Sprintf("faas.invocation_status of %d invocations: %v", len(all), latest(col.Metrics())["faas.invocation_status"])
		})

	out := em.Output()
	require.NotContains(t, out, "platform telemetry off", "the subscription succeeded")
	require.NotRegexp(t, platformTrouble, out, "nothing the platform telemetry did failed or was lost")
	emulator := emulatorReports(t, out)
	require.Len(t, emulator, len(all))
	spans := indexSpans(col.Spans())
	checkSpans(t, all, emulator, spans)
	checkMetrics(t, all, emulator, spans, latest(col.Metrics()))

	// The init report: in the first invocation's trace, and its metric.
	require.Len(t, spans.init, 1)
	init := spans.init[0]
	require.Equal(t, spans.invocation[first].SpanId, init.ParentSpanId, "the init report goes in the first invocation's trace")
	require.Equal(t, "lambda-managed-instances", otlptest.Attributes(init.Attributes)[string(platform.AttrInitializationType)])
	const initKey = "faas.name=" + function + ",lumen.init_type=lambda-managed-instances"
	initMetric := latest(col.Metrics())["faas.platform_init_duration"]
	require.Equal(t, map[string]point{initKey: initMetric[initKey]}, initMetric)
	require.Equal(t, uint64(1), initMetric[initKey].count)
	require.InDelta(t, durationMS(init), 1e3*initMetric[initKey].sum, 1e-6)
}

func containsID(all []sent, id string) bool {
	for _, s := range all {
		if s.id == id {
			return true
		}
	}
	return false
}

// reportRounding is how far a REPORT line's duration, printed to two
// decimals, may be from the report's durationMs, sent to three.
const reportRounding = 0.005 + 1e-9

// checkSpans: each invocation's lambda.report span is a child of its
// invocation span, lasts the REPORT line's duration, says how it ended,
// and has Lambda's responseLatency and responseDuration as children.
func checkSpans(t *testing.T, all []sent, emulator map[string]emulatorReport, idx spanIndex) {
	t.Helper()
	for _, s := range all {
		inv, rep := idx.invocation[s.id], idx.report[s.id]
		require.NotNil(t, inv, s.id)
		require.NotNil(t, rep, s.id)
		require.Equal(t, inv.TraceId, rep.TraceId, s.id)
		require.Equal(t, inv.SpanId, rep.ParentSpanId, "%s: a child of its invocation span", s.id)
		require.InDelta(t, emulator[s.id].durationMS, durationMS(rep), reportRounding, s.id)
		attrs := otlptest.Attributes(rep.Attributes)
		require.Equal(t, s.status, attrs[string(platform.AttrStatus)], s.id)
		if s.status == "success" {
			require.NotEqual(t, tracepb.Status_STATUS_CODE_ERROR, rep.Status.GetCode(), s.id)
			require.NotContains(t, attrs, "error.type", s.id)
		} else {
			require.Equal(t, tracepb.Status_STATUS_CODE_ERROR, rep.Status.GetCode(), s.id)
			require.Equal(t, s.errorType, attrs["error.type"], s.id)
		}
		if s.status == "timeout" {
			continue // no response, no response sub-phases
		}
		for _, name := range []string{platform.SpanResponseLatency, platform.SpanResponseDuration} {
			require.NotNil(t, idx.child(rep, name), "%s: %s", s.id, name)
		}
	}
}

// checkMetrics: the platform metrics count every invocation once, by
// trigger, status and error type; their duration sums are the REPORT
// lines'; the sub-phase histograms sum the sub-phase spans; and what the
// emulator does not report is not recorded.
func checkMetrics(t *testing.T, all []sent, emulator map[string]emulatorReport, idx spanIndex, got seriesSet) {
	t.Helper()
	wantStatus := map[string]point{}
	wantDuration := map[string]point{}
	latency, duration := map[string]point{}, map[string]point{}
	sub := func(m map[string]point, key string, s *tracepb.Span) {
		if s != nil {
			p := m[key]
			p.count++
			p.sum += durationMS(s)
			m[key] = p
		}
	}
	for _, s := range all {
		key := fmt.Sprintf("error.type=%s,faas.invocation.status=%s,faas.name=%s,faas.trigger=%s", s.errorType, s.status, function, s.trigger)
		p := wantStatus[key]
		p.sum++
		wantStatus[key] = p
		trigger := fmt.Sprintf("faas.name=%s,faas.trigger=%s", function, s.trigger)
		d := wantDuration[trigger]
		d.count++
		d.sum += emulator[s.id].durationMS
		wantDuration[trigger] = d
		rep := idx.report[s.id]
		sub(latency, trigger, idx.child(rep, platform.SpanResponseLatency))
		sub(duration, trigger, idx.child(rep, platform.SpanResponseDuration))
	}
	require.Equal(t, wantStatus, stripTime(got["faas.invocation_status"]), "faas.invocation_status")

	require.Len(t, got["faas.platform_duration"], len(wantDuration))
	for key, want := range wantDuration {
		p := got["faas.platform_duration"][key]
		require.Equal(t, want.count, p.count, "faas.platform_duration{%s}", key)
		require.InDelta(t, want.sum, 1e3*p.sum, float64(want.count)*reportRounding, "faas.platform_duration{%s}: the REPORT lines' durations", key)
		for name, spans := range map[string]map[string]point{"faas.response_latency": latency, "faas.response_duration": duration} {
			q := got[name][key]
			require.Equal(t, spans[key].count, q.count, "%s{%s}", name, key)
			require.InDelta(t, spans[key].sum, 1e3*q.sum, 1e-6, "%s{%s}: its spans' durations", name, key)
		}
	}
	require.Equal(t, got.total("faas.invocations").sum, float64(len(all)), "the runtime counted as many")

	// The emulator's REPORT lines in this mode carry the duration alone,
	// as Lambda Managed Instances' reports do: no memory, no billed
	// duration, so no cost either.
	for id, r := range emulator {
		require.Empty(t, r.rest, "REPORT line of %s", id)
	}
	for _, name := range []string{"faas.mem_usage", "faas.memory_utilization", "faas.billed_duration",
		"faas.billed_usage", "faas.estimated_cost", "faas.produced_size", "faas.restore_duration"} {
		require.Empty(t, got[name], name)
	}
}

// stripTime drops the points' times and counts, for comparing counters.
func stripTime(m map[string]point) map[string]point {
	out := make(map[string]point, len(m))
	for k, p := range m {
		out[k] = point{sum: p.sum}
	}
	return out
}

// TestManagedConcurrentWorkers: with AWS_LAMBDA_MAX_CONCURRENCY workers
// serving invocations at once, every report still finds its own
// invocation (its trigger, its span), and at SIGTERM the reports of the
// last invocation of every worker leave with the final flush. With a flush
// strategy that defers flushes (one flush in ten minutes), every report
// waits for the final flush, and none is lost.
func TestManagedConcurrentWorkers(t *testing.T) {
	tests := []struct {
		name     string
		workers  int
		strategy string
	}{
		{name: "flush at end", workers: 3, strategy: "end"},
		{name: "flush periodically", workers: 2, strategy: "periodic,600000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const rounds = 4
			bin := testfunc(t)
			col := collector.Start(t)
			em := startManaged(t, bin, rie.WithMaxConcurrency(tt.workers), rie.WithFunctionName(function),
				telemetryEnv(col, "LUMEN_FLUSH_STRATEGY="+tt.strategy))
			var all []sent
			for range rounds {
				all = append(all, invokeRound(t, em, tt.workers)...)
			}
			em.Stop()
			waitFor(t, func() bool { return latest(col.Metrics()).total("faas.invocation_status").sum == float64(len(all)) },
				func() string {
					return fmt.Sprintf("faas.invocation_status of %d invocations: %v\n%s", len(all),
						latest(col.Metrics())["faas.invocation_status"], em.Output())
				})
			waitFor(t, func() bool { return len(indexSpans(col.Spans()).report) == len(all) },
				func() string { return fmt.Sprintf("%d lambda.report spans", len(all)) })

			out := em.Output()
			require.NotRegexp(t, platformTrouble, out, "nothing the platform telemetry did failed or was lost")
			emulator := emulatorReports(t, out)
			require.Len(t, emulator, len(all))
			spans := indexSpans(col.Spans())
			checkSpans(t, all, emulator, spans)
			checkMetrics(t, all, emulator, spans, latest(col.Metrics()))
		})
	}
}

// invokeRound sends n invocations at once, the first an API Gateway
// request, and returns them once all are answered.
func invokeRound(t *testing.T, em *rie.Emulator, n int) []sent {
	t.Helper()
	round := make([]sent, n)
	var wg sync.WaitGroup
	for i := range round {
		payload, trigger := `{}`, "other"
		if i == 0 {
			payload, trigger = apiGatewayEvent, "http"
		}
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(t.Context(), wait)
			defer cancel()
			resp, err := em.Invoke(ctx, []byte(payload), nil)
			if err == nil && resp.Status == http.StatusOK {
				var r reply
				_ = json.Unmarshal(resp.Body, &r)
				round[i] = sent{id: r.RequestID, trigger: trigger, status: "success"}
			}
		})
	}
	wg.Wait()
	for _, s := range round {
		require.NotEmpty(t, s.id, "every invocation answered with its request id")
	}
	return round
}

// sleeping matches testfunc's line as its handler starts sleeping: the
// runtime has begun the invocation's telemetry by then.
var sleeping = regexp.MustCompile(`(?m)^testfunc: sleeping (\S+)`)

// TestManagedShutdownInFlight: when Lambda shuts the environment down
// while an invocation runs, the runtime ends its invocation span as
// interrupted, and the report Lambda sends of it at shutdown still becomes
// a lambda.report span in its trace, marked failed, and a
// faas.invocation_status count, with the final flush.
func TestManagedShutdownInFlight(t *testing.T) {
	bin := testfunc(t)
	col := collector.Start(t)
	em := startManaged(t, bin, rie.WithMaxConcurrency(1), rie.WithFunctionName(function), telemetryEnv(col))
	first, _ := invoke(t, em, `{}`)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = em.Invoke(t.Context(), []byte(`{"op":"sleep","ms":5000}`), nil)
	}()
	var inFlight string
	waitFor(t, func() bool {
		m := sleeping.FindStringSubmatch(em.Output())
		if m != nil {
			inFlight = m[1]
		}
		return m != nil
	}, func() string { return "the second invocation's handler\n" + em.Output() })
	em.Stop()
	<-done
	waitFor(t, func() bool { return indexSpans(col.Spans()).report[inFlight] != nil },
		func() string { return "the in-flight invocation's report\n" + em.Output() })
	waitFor(t, func() bool { return latest(col.Metrics()).total("faas.invocation_status").sum == 2 },
		func() string { return "faas.invocation_status of both invocations" })

	spans := indexSpans(col.Spans())
	inv, rep := spans.invocation[inFlight], spans.report[inFlight]
	require.NotNil(t, inv)
	require.Equal(t, tracepb.Status_STATUS_CODE_ERROR, inv.Status.GetCode(), "interrupted")
	require.Equal(t, inv.SpanId, rep.ParentSpanId)
	require.Equal(t, tracepb.Status_STATUS_CODE_ERROR, rep.Status.GetCode())
	require.NotEqual(t, "success", otlptest.Attributes(rep.Attributes)[string(platform.AttrStatus)])
	require.InDelta(t, emulatorReports(t, em.Output())[inFlight].durationMS, durationMS(rep), reportRounding)
	require.NotNil(t, spans.report[first.RequestID])
}
