package emf_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/metrics"
)

// syncBuffer is a bytes.Buffer safe for the concurrent test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// invoke records one invocation as the runtime does: its phases, its
// result, and the previous flush's duration.
func invoke(rec *metrics.Recorder, res metrics.InvocationResult) {
	rec.InvocationStarted()
	rec.ObservePhase(metrics.PhasePollWait, 40*time.Millisecond)
	rec.ObservePhase(metrics.PhaseEventReceive, 30*time.Microsecond)
	rec.ObservePhase(metrics.PhaseHandle, res.Duration)
	rec.ObservePhase(metrics.PhasePost, 80*time.Microsecond)
	rec.RecordInvocation(res)
	rec.ObservePhase(metrics.PhaseFlush, 50*time.Microsecond)
}

var warm = metrics.InvocationResult{Trigger: metrics.TriggerHTTP, Duration: 3 * time.Millisecond, RequestBytes: 16, ResponseBytes: 2}

// Lumen's own Recorder, runtime collectors included, through the exporter:
// one valid EMF document per flush carrying the FaaS metrics with their
// dimensions, each phase under its own metric name.
func TestRecorderDocuments(t *testing.T) {
	rec, err := metrics.New(metrics.WithFunctionName("orders"), metrics.WithMaxMemory(512<<20))
	require.NoError(t, err)
	var out bytes.Buffer
	e, err := emf.New(rec, emf.WithWriter(&out), emf.WithClock(clock), emf.WithDropCounter(rec))
	require.NoError(t, err)

	invoke(rec, metrics.InvocationResult{
		Trigger: metrics.TriggerHTTP, Duration: 120 * time.Millisecond, RequestBytes: 10, ResponseBytes: 20,
		Start: metrics.Start{Kind: metrics.StartCold, InitDuration: 80 * time.Millisecond},
	})
	docs, err := flushDocs(t, e, &out)
	require.NoError(t, err)
	require.Len(t, docs, 1, "one document per flush")
	got := values(docs)
	require.InDelta(t, 1, got["faas_invocations_total{faas_name=orders,faas_trigger=http}"], 0)
	require.InDelta(t, 1, got["faas_coldstarts_total{faas_name=orders,faas_trigger=http}"], 0)
	require.InDelta(t, 0.12, got["faas_invoke_duration_seconds[sum]{faas_name=orders,faas_trigger=http}"], 1e-9)
	require.InDelta(t, 0.08, got["faas_init_duration_seconds[sum]{faas_name=orders,faas_trigger=http}"], 1e-9)
	require.InDelta(t, 0.12, got["faas_phase_duration_seconds.handle[sum]{faas_name=orders}"], 1e-9)
	require.InDelta(t, 1, got["faas_phase_duration_seconds.post[count]{faas_name=orders}"], 0)
	require.InDelta(t, 512<<20, got["faas_max_memory_bytes{faas_name=orders}"], 0)
	require.Contains(t, got, "go_goroutines{faas_name=orders}")
	require.NotContains(t, got, "faas_timeouts_total{faas_name=orders,faas_trigger=http}", "no increase, not written")

	invoke(rec, metrics.InvocationResult{Trigger: metrics.TriggerHTTP, ErrorType: "errorString"})
	docs, err = flushDocs(t, e, &out)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	got = values(docs)
	require.InDelta(t, 1, got["faas_invocations_total{faas_name=orders,faas_trigger=http}"], 0)
	require.InDelta(t, 1, got["faas_errors_total{error_type=errorString,faas_name=orders,faas_trigger=http}"], 0)
	require.NotContains(t, got, "faas_coldstarts_total{faas_name=orders,faas_trigger=http}", "no increase, not written")
	require.NotContains(t, got, "faas_max_memory_bytes{faas_name=orders}", "unchanged gauge, not written")
	require.NoError(t, e.Shutdown(t.Context()))
}

// Histograms become distributions: each bucket's representative value and
// its count since the last flush.
func TestDistribution(t *testing.T) {
	rec, err := metrics.New(metrics.WithRuntimeCollectors(false), metrics.WithDurationBuckets(0.1, 1))
	require.NoError(t, err)
	var out bytes.Buffer
	e, err := emf.New(rec, emf.WithWriter(&out), emf.WithClock(clock),
		emf.WithFilter(func(name string) bool { return name == "faas_phase_duration_seconds" }))
	require.NoError(t, err)
	const name = "faas_phase_duration_seconds.handle"

	for _, d := range []time.Duration{50 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond, 5 * time.Second} {
		rec.ObservePhase(metrics.PhaseHandle, d)
	}
	docs, err := flushDocs(t, e, &out)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	dist := docs[0].Dists[name]
	require.NotNil(t, dist)
	// Midpoints of (0, 0.1] and (0.1, 1]; above the last bound, what the sum
	// leaves: 6.05 - 0.05 - 2 × 0.55 = 4.9.
	require.InDeltaSlice(t, []float64{0.05, 0.55, 4.9}, dist.Values, 1e-9)
	require.Equal(t, []float64{1, 2, 1}, dist.Counts)
	require.InDelta(t, 6.05, dist.Sum, 1e-9)
	require.InDelta(t, 0, dist.Min, 0)
	require.InDelta(t, 4.9, dist.Max, 1e-9)

	rec.ObservePhase(metrics.PhaseHandle, 20*time.Millisecond)
	docs, err = flushDocs(t, e, &out)
	require.NoError(t, err)
	dist = docs[0].Dists[name]
	require.Equal(t, []float64{0.05}, dist.Values, "only the bucket observed since")
	require.Equal(t, []float64{1}, dist.Counts)
	require.InDelta(t, 0.1, dist.Max, 0)

	docs, err = flushDocs(t, e, &out)
	require.NoError(t, err)
	require.Empty(t, docs, "nothing observed, nothing written")
	require.NoError(t, e.Shutdown(t.Context()))
}

// Several values of one metric or one dimension cannot share a document:
// they take one each, and every value is written once.
func TestConflictingSeriesSplitDocuments(t *testing.T) {
	rec, err := metrics.New(metrics.WithRuntimeCollectors(false))
	require.NoError(t, err)
	var out bytes.Buffer
	e, err := emf.New(rec, emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)
	invoke(rec, warm)
	pubsub := warm
	pubsub.Trigger = metrics.TriggerPubSub
	invoke(rec, pubsub)
	invoke(rec, pubsub)
	docs, err := flushDocs(t, e, &out)
	require.NoError(t, err)
	require.Len(t, docs, 2, "faas_trigger=http and faas_trigger=pubsub")
	got := values(docs)
	require.InDelta(t, 1, got["faas_invocations_total{faas_trigger=http}"], 0)
	require.InDelta(t, 2, got["faas_invocations_total{faas_trigger=pubsub}"], 0)
	require.InDelta(t, 3, got["faas_phase_duration_seconds.handle[count]{}"], 0, "written once")
	require.NoError(t, e.Shutdown(t.Context()))
}

// A flush after many invocations is still one document, no larger than a
// flush after one but for the counts.
func TestDocumentAfterManyInvocations(t *testing.T) {
	rec, err := metrics.New(metrics.WithRuntimeCollectors(false), metrics.WithFunctionName("orders"))
	require.NoError(t, err)
	var out bytes.Buffer
	e, err := emf.New(rec, emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)
	invoke(rec, warm)
	_, err = flushDocs(t, e, &out) // the first flush writes the gauges too
	require.NoError(t, err)

	invoke(rec, warm)
	require.NoError(t, e.ForceFlush(t.Context()))
	one := out.Len()
	out.Reset()
	for range 100 {
		invoke(rec, warm)
	}
	docs, err := flushDocs(t, e, &out)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	require.InDelta(t, 100, values(docs)["faas_invocations_total{faas_name=orders,faas_trigger=http}"], 0)
	t.Logf("bytes per flush: %d after one invocation", one)
	require.NoError(t, e.Shutdown(t.Context()))
}

// Documents stay within the CloudWatch Logs event limit: what does not fit
// goes into the next document.
func TestDocumentSizeLimit(t *testing.T) {
	reg := prometheus.NewRegistry()
	const n = 1000
	for i := range n {
		c := prometheus.NewCounter(prometheus.CounterOpts{
			Name: fmt.Sprintf("m%04d_%s_total", i, strings.Repeat("x", 200)), Help: "h",
			ConstLabels: prometheus.Labels{"stage": "prod"},
		})
		reg.MustRegister(c)
		c.Inc()
	}
	var out bytes.Buffer
	e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)
	require.NoError(t, e.ForceFlush(t.Context()))
	var docs []*emfDoc
	for line := range bytes.Lines(out.Bytes()) {
		require.LessOrEqual(t, len(line), emf.MaxDocumentBytes)
		doc, err := validateEMF(bytes.TrimSpace(line))
		require.NoError(t, err)
		docs = append(docs, doc)
	}
	require.Len(t, docs, 2, "about 440 KB of metrics")
	require.Len(t, values(docs), n, "each written once")
	require.NoError(t, e.Shutdown(t.Context()))
}

// Flushes racing with invocations write every invocation exactly once.
func TestExporterConcurrentSafe(t *testing.T) {
	rec, err := metrics.New(metrics.WithFunctionName(""), metrics.WithMaxMemory(0), metrics.WithRuntimeCollectors(false))
	require.NoError(t, err)
	var out syncBuffer
	e, err := emf.New(rec, emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)

	const workers, perWorker = 4, 250
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				rec.InvocationStarted()
				rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerPubSub, Duration: time.Millisecond})
				assert.NoError(t, e.ForceFlush(t.Context()))
			}
		})
	}
	wg.Wait()
	require.NoError(t, e.Shutdown(t.Context()))

	var total, durations float64
	for line := range bytes.Lines(out.b.Bytes()) {
		doc, err := validateEMF(bytes.TrimSpace(line))
		require.NoError(t, err)
		total += doc.Values["faas_invocations_total"]
		durations += doc.Values["faas_invoke_duration_seconds"]
	}
	require.InDelta(t, workers*perWorker, total, 0)
	require.InDelta(t, workers*perWorker, durations, 0, "every observation in exactly one distribution")
}

// BenchmarkForceFlush records invocations and flushes, as the runtime does:
// after every invocation, and after 100 (a deferring flush strategy), with
// Lumen's EMF default (faas metrics, classic histograms) and with the Go
// runtime and process collectors. It reports the bytes written per
// invocation.
func BenchmarkForceFlush(b *testing.B) {
	configs := []struct {
		name string
		opts []metrics.Option
	}{
		{"faas only", []metrics.Option{metrics.WithRuntimeCollectors(false), metrics.WithNativeHistograms(false)}},
		{"with go and process", []metrics.Option{metrics.WithRuntimeCollectors(true)}},
	}
	for _, c := range configs {
		for _, every := range []int{1, 100} {
			b.Run(c.name+"/every="+itoa(every), func(b *testing.B) {
				rec, err := metrics.New(append([]metrics.Option{metrics.WithFunctionName("bench"), metrics.WithMaxMemory(0)}, c.opts...)...)
				require.NoError(b, err)
				var w countingWriter
				e, err := emf.New(rec, emf.WithWriter(&w))
				require.NoError(b, err)
				invoke(rec, warm)
				require.NoError(b, e.ForceFlush(b.Context()))
				w.n = 0
				b.ReportAllocs()
				for b.Loop() {
					for range every {
						invoke(rec, warm)
					}
					if err := e.ForceFlush(b.Context()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(w.n)/float64(b.N*every), "B/inv")
				require.NoError(b, e.Shutdown(b.Context()))
			})
		}
	}
}

// countingWriter counts what is written to it.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

func itoa(n int) string {
	if n == 1 {
		return "1"
	}
	return "100"
}

var _ io.Writer = (*countingWriter)(nil)
