package platform_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/platform"
)

// attrs returns a span's attributes by key.
func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes {
		m[kv.Key] = kv.Value
	}
	return m
}

// invocationBatch is what Lambda sends about one invocation of a default
// function: its runtimeDone and its report.
func invocationBatch(requestID string, end time.Time) []byte {
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	return []byte(fmt.Sprintf(`[
	 {"time":%q,"type":"platform.start","record":{"requestId":%q}},
	 {"time":%q,"type":"platform.runtimeDone","record":{"requestId":%q,"status":"success",
	  "metrics":{"durationMs":40,"producedBytes":512},
	  "spans":[{"name":"responseLatency","start":%q,"durationMs":30},{"name":"responseDuration","start":%q,"durationMs":2}]}},
	 {"time":%q,"type":"platform.report","record":{"requestId":%q,"status":"success",
	  "metrics":{"durationMs":45.5,"billedDurationMs":46,"memorySizeMB":256,"maxMemoryUsedMB":100,"initDurationMs":120.25},
	  "spans":[{"name":"extensionOverhead","start":%q,"durationMs":1.5}]}}]`,
		ts(end.Add(-45500*time.Microsecond)), requestID,
		ts(end.Add(-time.Millisecond)), requestID, ts(end.Add(-41*time.Millisecond)), ts(end.Add(-11*time.Millisecond)),
		ts(end), requestID, ts(end.Add(-time.Millisecond))))
}

// A report waits for the flush point, then becomes a lambda.report span in
// its invocation's trace, started and ended with the platform's times, with
// Lambda's sub-phases as children, and metrics with its invocation's
// trigger.
func TestFlushTurnsReportsIntoSpansAndMetrics(t *testing.T) {
	tr := newTracing(t)
	s := &sink{}
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp), platform.WithMetricsSink(s))
	a, b := tr.invocation(), tr.invocation()
	p.Started("req-a", invocation.TriggerHTTP, a)
	p.Started("req-b", invocation.TriggerPubSub, b)

	end := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	api.deliver(invocationBatch("req-a", end))
	api.deliver(report("req-b", "timeout", 3000, end.Add(time.Second)))
	require.Empty(t, tr.spans(platform.SpanReport), "nothing before the flush point")
	require.Empty(t, s.Reports())

	require.NoError(t, p.ForceFlush(t.Context()))

	reports := s.Reports()
	require.Len(t, reports, 2)
	require.Equal(t, "req-a", reports[0].RequestID)
	require.Equal(t, invocation.TriggerHTTP, reports[0].Trigger)
	require.Equal(t, 46*time.Millisecond, reports[0].BilledDuration)
	require.Equal(t, int64(100<<20), reports[0].MaxMemoryUsed)
	require.Equal(t, invocation.TriggerPubSub, reports[1].Trigger)
	require.Equal(t, platform.StatusTimeout, reports[1].Status)
	require.Len(t, s.dones, 1)
	require.Equal(t, invocation.TriggerHTTP, s.dones[0].Trigger)
	require.Equal(t, int64(512), s.dones[0].ProducedBytes)

	spansA := tr.childrenOf(a)
	require.Len(t, spansA, 1)
	ra := spansA[0]
	require.Equal(t, platform.SpanReport, ra.Name)
	require.Equal(t, a.TraceID(), ra.SpanContext.TraceID())
	require.Equal(t, trace.SpanKindInternal, ra.SpanKind)
	require.Equal(t, end.Add(-45500*time.Microsecond), ra.StartTime.UTC())
	require.Equal(t, end, ra.EndTime.UTC())
	require.Equal(t, codes.Unset, ra.Status.Code)
	require.Equal(t, platform.InstrumentationName, ra.InstrumentationScope.Name)
	got := attrs(ra)
	require.Equal(t, "req-a", got["faas.invocation_id"].AsString())
	require.Equal(t, "success", got[platform.AttrStatus].AsString())
	require.Equal(t, 45.5, got[platform.AttrDurationMS].AsFloat64())
	require.Equal(t, int64(46), got[platform.AttrBilledDurationMS].AsInt64())
	require.Equal(t, int64(256<<20), got["faas.max_memory"].AsInt64())
	require.Equal(t, int64(256), got[platform.AttrMemorySizeMB].AsInt64())
	require.Equal(t, int64(100), got[platform.AttrMaxMemoryUsedMB].AsInt64())
	require.Equal(t, 120.25, got[platform.AttrInitDurationMS].AsFloat64())
	require.Equal(t, 40.0, got[platform.AttrRuntimeDurationMS].AsFloat64())
	require.Equal(t, int64(512), got[platform.AttrProducedBytes].AsInt64())

	children := tr.childrenOf(ra.SpanContext)
	require.Len(t, children, 3)
	byName := map[string]tracetest.SpanStub{}
	for _, c := range children {
		byName[c.Name] = c
	}
	lat := byName[platform.SpanResponseLatency]
	require.Equal(t, end.Add(-41*time.Millisecond), lat.StartTime.UTC())
	require.Equal(t, end.Add(-11*time.Millisecond), lat.EndTime.UTC())
	require.Contains(t, byName, platform.SpanResponseDuration)
	require.Contains(t, byName, platform.SpanExtensionOverhead)

	spansB := tr.childrenOf(b)
	require.Len(t, spansB, 1)
	rb := spansB[0]
	require.Equal(t, codes.Error, rb.Status.Code)
	require.Equal(t, "timeout", attrs(rb)["error.type"].AsString())
	require.Equal(t, 3*time.Second, rb.EndTime.Sub(rb.StartTime))

	st := p.Stats()
	require.Equal(t, uint64(2), st.Reports)
	require.Equal(t, uint64(1), st.RuntimeDones)
	require.Equal(t, uint64(1), st.Skipped, "platform.start")
	require.Zero(t, st.Unmatched)
}

// A report whose invocation is not among those tracked still gives its
// metrics, without a trigger, but no span; an invocation without a span
// context gets none either.
func TestUnmatchedReports(t *testing.T) {
	tr := newTracing(t)
	s := &sink{}
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp), platform.WithMetricsSink(s), platform.WithTrackedInvocations(2))
	old := tr.invocation()
	p.Started("old", invocation.TriggerHTTP, old)
	p.Started("untraced", invocation.TriggerTimer, trace.SpanContext{})
	p.Started("new", invocation.TriggerHTTP, tr.invocation())
	api.deliver(report("old", "success", 1, time.Now()))
	api.deliver(report("untraced", "success", 1, time.Now()))
	api.deliver(report("stranger", "success", 1, time.Now()))
	require.NoError(t, p.ForceFlush(t.Context()))

	reports := s.Reports()
	require.Len(t, reports, 3)
	require.Equal(t, invocation.TriggerOther, reports[0].Trigger, "forgotten: only the last two invocations are tracked")
	require.Equal(t, invocation.TriggerTimer, reports[1].Trigger)
	require.Equal(t, invocation.TriggerOther, reports[2].Trigger)
	require.Empty(t, tr.spans(platform.SpanReport))
	require.Equal(t, uint64(2), p.Stats().Unmatched)
}

// The same request id again (Lambda retrying an event) is a new
// invocation: its report goes in the latest trace.
func TestRetriedRequestID(t *testing.T) {
	tr := newTracing(t)
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp))
	first, second := tr.invocation(), tr.invocation()
	p.Started("same", invocation.TriggerOther, first)
	p.Started("same", invocation.TriggerOther, second)
	api.deliver(report("same", "success", 1, time.Now()))
	require.NoError(t, p.ForceFlush(t.Context()))
	require.Empty(t, tr.childrenOf(first))
	require.Len(t, tr.childrenOf(second), 1)
}

// The init report goes in the trace of the process's first invocation,
// even when it arrives before that invocation (managed instances start
// eagerly); its metrics do not wait.
func TestInitReportInFirstInvocationTrace(t *testing.T) {
	tr := newTracing(t)
	s := &sink{}
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp), platform.WithMetricsSink(s))
	api.deliver(readBatch(t, "emulator/managed-init-and-two-invocations.json"))
	require.NoError(t, p.ForceFlush(t.Context()))
	require.Len(t, s.inits, 1)
	require.Equal(t, "lambda-managed-instances", s.inits[0].InitializationType)
	require.Empty(t, tr.spans(platform.SpanInit), "no invocation yet")

	first := tr.invocation()
	p.Started("1d3be4d4-86eb-4c89-aef1-f7ee1fd09786", invocation.TriggerOther, first)
	p.Started("another", invocation.TriggerOther, tr.invocation())
	require.NoError(t, p.ForceFlush(t.Context()))
	inits := tr.spans(platform.SpanInit)
	require.Len(t, inits, 1)
	require.Equal(t, first.SpanID(), inits[0].Parent.SpanID())
	require.Equal(t, at("2026-12-07T02:12:27.558Z"), inits[0].EndTime.UTC())
	require.Equal(t, millis(77.541), inits[0].EndTime.Sub(inits[0].StartTime))
	got := attrs(inits[0])
	require.Equal(t, "lambda-managed-instances", got[platform.AttrInitializationType].AsString())
	require.Equal(t, "init", got[platform.AttrInitPhase].AsString())
}

// At shutdown nothing waiting is lost: an init or restore report with no
// invocation becomes a root span, a runtimeDone whose report never came a
// span of its own.
func TestShutdownRecordsLeftovers(t *testing.T) {
	tr := newTracing(t)
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp))
	api.deliver(readBatch(t, "docs/restoreReport.json"))
	require.NoError(t, p.ForceFlush(t.Context()))
	require.Empty(t, tr.spans(platform.SpanRestore))

	inv := tr.invocation()
	p.Started(docsRequestID, invocation.TriggerOther, inv)
	api.deliver(readBatch(t, "docs/runtimeDone.json"))
	api.deliver(readBatch(t, "docs/report.json"))
	require.NoError(t, p.Shutdown(t.Context()))

	restores := tr.spans(platform.SpanRestore)
	require.Len(t, restores, 1)
	require.Equal(t, inv.SpanID(), restores[0].Parent.SpanID(), "the invocation started before the shutdown")
	reports := tr.spans(platform.SpanReport)
	require.Len(t, reports, 1)
	require.Len(t, tr.childrenOf(reports[0].SpanContext), 1, "the runtimeDone's span")

	q, api2 := subscribed(t, platform.WithTracerProvider(tr.tp))
	api2.deliver(readBatch(t, "docs/initReport.json"))
	sc := tr.invocation()
	q.Started("lonely", invocation.TriggerOther, sc)
	api2.deliver([]byte(`[{"time":"2024-01-01T00:00:01Z","type":"platform.runtimeDone","record":{"requestId":"lonely","status":"failure","errorType":"Runtime.OutOfMemory"}}]`))
	api2.deliver(report("lonely-never", "success", 1, time.Now()))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, q.Shutdown(ctx), context.Canceled, "the report of lonely never came")
	dones := tr.childrenOf(sc)
	require.Len(t, dones, 2, "the init span and the runtimeDone's")
	for _, d := range dones {
		if d.Name == platform.SpanReport {
			require.Equal(t, codes.Error, d.Status.Code)
			require.Equal(t, platform.ErrorTypeOutOfMemory, attrs(d)["error.type"].AsString())
		}
	}
}

// A Platform with no invocation at all still records its init report, as
// a root span, at shutdown.
func TestShutdownInitWithoutInvocation(t *testing.T) {
	tr := newTracing(t)
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp))
	api.deliver(readBatch(t, "docs/initReport.json"))
	require.NoError(t, p.Shutdown(t.Context()))
	inits := tr.spans(platform.SpanInit)
	require.Len(t, inits, 1)
	require.False(t, inits[0].Parent.IsValid())
	require.Len(t, tr.childrenOf(inits[0].SpanContext), 1, "someTimeSpan")
}

// Shutdown waits for the report of the last invocation, which Lambda
// sends after it, and stops waiting when its context ends.
func TestShutdownWaitsForTheLastReport(t *testing.T) {
	tr := newTracing(t)
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp))
	last := tr.invocation()
	p.Started("last", invocation.TriggerOther, last)
	done := make(chan error, 1)
	go func() { done <- p.Shutdown(context.Background()) }()
	api.deliver(report("last", "success", 2, time.Now()))
	require.NoError(t, <-done)
	require.Len(t, tr.childrenOf(last), 1)

	q, _ := subscribed(t)
	q.Started("never", invocation.TriggerOther, trace.SpanContext{})
	ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	err := q.Shutdown(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "waiting for the last reports")
}

// Beyond the queue's bound events are dropped, counted by signal and
// reported once per flush; reports are kept before runtimeDones.
func TestQueueBound(t *testing.T) {
	tr := newTracing(t)
	d := &drops{}
	e := &errs{}
	s := &sink{}
	p, api := subscribed(t, platform.WithQueueSize(2), platform.WithDropCounter(d), platform.WithErrorHandler(e.handle),
		platform.WithTracerProvider(tr.tp), platform.WithMetricsSink(s))
	api.deliver(invocationBatch("a", time.Now()))
	api.deliver(report("b", "success", 1, time.Now()))
	require.Equal(t, 1, d.get(platform.Name+"/"+exporters.SignalTraces))
	require.Equal(t, 1, d.get(platform.Name+"/"+exporters.SignalMetrics))
	require.Len(t, e.all(), 1)
	require.ErrorContains(t, e.all()[0], "1 Telemetry API events dropped")

	api.deliver(report("c", "success", 1, time.Now()))
	require.Len(t, e.all(), 1, "one report per flush")
	require.Equal(t, 2, d.get(platform.Name+"/"+exporters.SignalTraces))

	require.NoError(t, p.ForceFlush(t.Context()))
	require.Len(t, s.Reports(), 1)
	require.Len(t, s.dones, 1)
	api.deliver(invocationBatch("d", time.Now()))
	api.deliver(report("e", "success", 1, time.Now()))
	require.Len(t, e.all(), 2, "reported again after a flush")
	require.Equal(t, uint64(3), p.Stats().Dropped)

	small := &sink{}
	q, api2 := subscribed(t, platform.WithQueueSize(1), platform.WithMetricsSink(small), platform.WithErrorHandler(func(error) {}))
	api2.deliver(invocationBatch("f", time.Now()))
	require.NoError(t, q.ForceFlush(t.Context()))
	require.Len(t, small.Reports(), 1, "the report is kept before the runtimeDone")
	require.Empty(t, small.dones)
}

// HalfFull follows the events waiting for the next flush.
func TestQueueHalfFull(t *testing.T) {
	s := &sink{}
	p, api := subscribed(t, platform.WithQueueSize(4), platform.WithMetricsSink(s), platform.WithErrorHandler(func(error) {}))
	require.False(t, p.HalfFull())
	api.deliver(report("a", "success", 1, time.Now()))
	require.False(t, p.HalfFull(), "one of four")
	api.deliver(report("b", "success", 1, time.Now()))
	require.True(t, p.HalfFull(), "two of four")
	require.NoError(t, p.ForceFlush(t.Context()))
	require.False(t, p.HalfFull(), "flushed")
	require.Len(t, s.Reports(), 2)
}

// Malformed events are counted as drops too; without a tracer or sink
// nothing is counted for the signal it would not have fed.
func TestMalformedEventsAreCounted(t *testing.T) {
	d := &drops{}
	s := &sink{}
	p, api := subscribed(t, platform.WithDropCounter(d), platform.WithMetricsSink(s), platform.WithErrorHandler(func(error) {}))
	api.deliver([]byte(`[{"type":"platform.report"},{"type":"platform.report"}]`))
	api.deliver([]byte(`{`))
	require.Equal(t, 3, d.get(platform.Name+"/"+exporters.SignalMetrics))
	require.Zero(t, d.get(platform.Name+"/"+exporters.SignalTraces))
	require.Equal(t, uint64(3), p.Stats().Malformed)
}

// What Lambda says it dropped (platform.logsDropped: it drops a batch
// while the listener is busy with the one before) is counted as lost and
// reported, as the listener's own drops are.
func TestLambdaDropsAreCounted(t *testing.T) {
	d := &drops{}
	e := &errs{}
	s := &sink{}
	p, api := subscribed(t, platform.WithDropCounter(d), platform.WithMetricsSink(s), platform.WithErrorHandler(e.handle))
	api.deliver([]byte(`[{"time":"2024-01-01T00:00:00Z","type":"platform.logsDropped","record":{"droppedBytes":900,"droppedRecords":3,
	 "reason":"Some logs were dropped because the downstream consumer is slower than the logs production rate"}},
	 {"time":"2024-01-01T00:00:00Z","type":"platform.logsDropped","record":{"droppedRecords":"many"}}]`))
	require.Equal(t, 3, d.get(platform.Name+"/"+exporters.SignalMetrics))
	require.Zero(t, d.get(platform.Name+"/"+exporters.SignalTraces), "no tracer: no spans lost")
	require.Equal(t, uint64(3), p.Stats().LambdaDropped)
	require.Equal(t, uint64(2), p.Stats().Skipped)
	require.Zero(t, p.Stats().Malformed, "an unreadable count is not an error: the event only informs")
	require.Len(t, e.all(), 1)
	require.ErrorContains(t, e.all()[0], "Lambda dropped 3 Telemetry API events")
}

// ForceFlush honours its context and leaves what it did not consume for
// the next flush, in order.
func TestForceFlushContext(t *testing.T) {
	s := &sink{}
	p, api := subscribed(t, platform.WithMetricsSink(s))
	api.deliver(report("1", "success", 1, time.Now()))
	api.deliver(report("2", "success", 1, time.Now()))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, p.ForceFlush(ctx), context.Canceled)
	require.Empty(t, s.Reports())
	api.deliver(report("3", "success", 1, time.Now()))
	require.NoError(t, p.ForceFlush(t.Context()))
	var ids []string
	for _, r := range s.Reports() {
		ids = append(ids, r.RequestID)
	}
	require.Equal(t, []string{"1", "2", "3"}, ids)
}

// Log lines are asked for only with WithLogs, and handed over at the flush
// point.
func TestLogs(t *testing.T) {
	var got []string
	p, api := subscribed(t, platform.WithLogs(func(l platform.Log) { got = append(got, l.Type+" "+string(l.Record)) }))
	api.deliver(readBatch(t, "emulator/managed-function-logs.json"))
	require.Empty(t, got)
	require.NoError(t, p.ForceFlush(t.Context()))
	require.Equal(t, []string{`function "function log line for a112c4dd-7fe3-4c01-9f0f-3cf9b89befc0"`}, got)
	require.Equal(t, uint64(1), p.Stats().Logs)
}

// Shutdown is idempotent and leaves every method a no-op.
func TestShutdownIdempotent(t *testing.T) {
	s := &sink{}
	p, api := subscribed(t, platform.WithMetricsSink(s))
	require.NoError(t, p.Shutdown(t.Context()))
	require.NoError(t, p.Shutdown(t.Context()))
	p.Started("x", invocation.TriggerHTTP, trace.SpanContext{})
	require.NoError(t, p.ForceFlush(t.Context()))
	require.Empty(t, s.Reports())
	require.Equal(t, platform.Name, p.Name())
	_ = api
}

// Started, deliveries and flushes run concurrently (run with -race).
func TestConcurrentSafe(t *testing.T) {
	tr := newTracing(t)
	s := &sink{}
	p, api := subscribed(t, platform.WithTracerProvider(tr.tp), platform.WithMetricsSink(s), platform.WithTrackedInvocations(1024))
	const workers, each = 4, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				p.Started(id, invocation.TriggerHTTP, tr.invocation())
				api.deliver(invocationBatch(id, time.Now()))
				if i%5 == 0 {
					require.NoError(t, p.ForceFlush(t.Context()))
				}
			}
		})
	}
	wg.Wait()
	require.NoError(t, p.ForceFlush(t.Context()))
	require.Len(t, s.Reports(), workers*each)
	require.Len(t, tr.spans(platform.SpanReport), workers*each)
	for _, r := range s.Reports() {
		require.True(t, strings.HasPrefix(r.RequestID, "w"))
		require.Equal(t, invocation.TriggerHTTP, r.Trigger)
	}
}
