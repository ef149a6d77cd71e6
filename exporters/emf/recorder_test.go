package emf_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

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

// Lumen's own Recorder, runtime collectors included, through the exporter:
// every document is valid EMF and carries the FaaS metrics with their
// dimensions.
func TestRecorderDocuments(t *testing.T) {
	rec, err := metrics.New(metrics.WithFunctionName("orders"), metrics.WithMaxMemory(512<<20))
	require.NoError(t, err)
	var out bytes.Buffer
	e, err := emf.New(rec.Gatherer(), emf.WithWriter(&out), emf.WithClock(clock), emf.WithDropCounter(rec))
	require.NoError(t, err)

	rec.InvocationStarted()
	rec.RecordInvocation(metrics.InvocationResult{
		Trigger: metrics.TriggerHTTP, Duration: 120 * time.Millisecond, RequestBytes: 10, ResponseBytes: 20,
		Start: metrics.Start{Kind: metrics.StartCold, InitDuration: 80 * time.Millisecond},
	})
	rec.ObservePhase(metrics.PhaseHandle, 100*time.Millisecond)
	docs, err := flushDocs(t, e, &out)
	require.NoError(t, err)
	got := values(docs)
	require.InDelta(t, 1, got["faas_invocations_total{faas_name=orders,faas_trigger=http}"], 0)
	require.InDelta(t, 1, got["faas_coldstarts_total{faas_name=orders,faas_trigger=http}"], 0)
	require.InDelta(t, 0.12, got["faas_invoke_duration_seconds_sum{faas_name=orders,faas_trigger=http}"], 1e-9)
	require.InDelta(t, 0.08, got["faas_init_duration_seconds_sum{faas_name=orders,faas_trigger=http}"], 1e-9)
	require.InDelta(t, 0.1, got["faas_phase_duration_seconds_sum{faas_name=orders,phase=handle}"], 1e-9)
	require.InDelta(t, 512<<20, got["faas_max_memory_bytes{faas_name=orders}"], 0)
	require.Contains(t, got, "go_goroutines{faas_name=orders}")

	rec.InvocationStarted()
	rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP, ErrorType: "errorString"})
	docs, err = flushDocs(t, e, &out)
	require.NoError(t, err)
	got = values(docs)
	require.InDelta(t, 1, got["faas_invocations_total{faas_name=orders,faas_trigger=http}"], 0)
	require.InDelta(t, 1, got["faas_errors_total{error_type=errorString,faas_name=orders,faas_trigger=http}"], 0)
	require.NotContains(t, got, "faas_coldstarts_total{faas_name=orders,faas_trigger=http}", "no increase, not written")
	require.NoError(t, e.Shutdown(t.Context()))
}

// Flushes racing with invocations write every invocation exactly once.
func TestExporterConcurrentSafe(t *testing.T) {
	rec, err := metrics.New(metrics.WithFunctionName(""), metrics.WithMaxMemory(0), metrics.WithRuntimeCollectors(false))
	require.NoError(t, err)
	var out syncBuffer
	e, err := emf.New(rec.Gatherer(), emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)

	const workers, perWorker = 4, 250
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				rec.InvocationStarted()
				rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerPubSub})
				assert.NoError(t, e.ForceFlush(t.Context()))
			}
		})
	}
	wg.Wait()
	require.NoError(t, e.Shutdown(t.Context()))

	var total float64
	for line := range bytes.Lines(out.b.Bytes()) {
		doc, err := validateEMF(bytes.TrimSpace(line))
		require.NoError(t, err)
		total += doc.Values["faas_invocations_total"]
	}
	require.InDelta(t, workers*perWorker, total, 0)
}

// BenchmarkForceFlush records one invocation and flushes it, as the runtime
// does after each invocation: faas metrics alone (Lumen's EMF default), the
// same without native histograms (EMF writes only counts and sums), and with
// the Go runtime and process collectors.
func BenchmarkForceFlush(b *testing.B) {
	configs := []struct {
		name string
		opts []metrics.Option
	}{
		{"faas only", []metrics.Option{metrics.WithRuntimeCollectors(false)}},
		{"faas only/classic", []metrics.Option{metrics.WithRuntimeCollectors(false), metrics.WithNativeHistograms(false)}},
		{"with go and process", []metrics.Option{metrics.WithRuntimeCollectors(true)}},
	}
	for _, c := range configs {
		b.Run(c.name, func(b *testing.B) {
			rec, err := metrics.New(append([]metrics.Option{metrics.WithFunctionName("bench"), metrics.WithMaxMemory(0)}, c.opts...)...)
			require.NoError(b, err)
			var out bytes.Buffer
			e, err := emf.New(rec.Gatherer(), emf.WithWriter(&out))
			require.NoError(b, err)
			b.ReportAllocs()
			for b.Loop() {
				rec.InvocationStarted()
				rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP, Duration: time.Millisecond})
				rec.ObservePhase(metrics.PhaseHandle, time.Millisecond)
				if err := e.ForceFlush(b.Context()); err != nil {
					b.Fatal(err)
				}
				out.Reset()
			}
		})
	}
}
