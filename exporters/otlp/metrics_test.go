package otlp_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/collector"
)

// counterValues returns the values of the counter's data points received
// so far, in order.
func counterValues(sink *collector.Sink) []float64 {
	var out []float64
	for _, m := range sink.Metrics() {
		if m.GetName() == "faas.invocations" {
			for _, dp := range m.GetSum().GetDataPoints() {
				out = append(out, dp.GetAsDouble())
			}
		}
	}
	return out
}

// TestMetricExporter flushes cumulatively: every flush sends every series.
func TestMetricExporter(t *testing.T) {
	sink := collector.NewSink(t)
	src := newSource()
	exp, err := otlp.NewMetricExporter(src, otlp.WithEndpoint(sink.URL()), otlp.WithResource(testResource))
	require.NoError(t, err)
	require.NoError(t, exp.ForceFlush(t.Context()))
	src.add(2)
	require.NoError(t, exp.ForceFlush(t.Context()))
	require.Equal(t, []float64{1, 3}, counterValues(sink))
	require.Len(t, sink.Metrics(), 2*sourcePoints)
	sum := sink.Metrics()[0].GetSum()
	require.Equal(t, metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE, sum.GetAggregationTemporality())
	require.Equal(t, otlp.Name, exp.Name())
}

// TestMetricExporterDelta sends deltas, carries a failed flush's increments
// to the next, and sends the final values at Shutdown, once.
func TestMetricExporterDelta(t *testing.T) {
	for _, temp := range []otlp.Temporality{otlp.TemporalityDelta, otlp.TemporalityLowMemory} {
		t.Run(temp.String(), func(t *testing.T) {
			sink := collector.NewSink(t)
			src := newSource()
			var drops exportertest.Drops
			exp, err := otlp.NewMetricExporter(src, otlp.WithEndpoint(sink.URL()), otlp.WithTemporality(temp), otlp.WithDropCounter(&drops))
			require.NoError(t, err)
			require.NoError(t, exp.ForceFlush(t.Context()))
			src.add(2)
			sink.SetStatus(http.StatusServiceUnavailable)
			require.Error(t, exp.ForceFlush(t.Context()))
			require.Zero(t, drops.Count(otlp.Name, exporters.SignalMetrics), "a 503 loses nothing: the next flush carries the increments")
			src.add(4)
			sink.SetStatus(http.StatusOK)
			require.NoError(t, exp.ForceFlush(t.Context()))
			src.add(1)
			require.NoError(t, exp.Shutdown(t.Context()))
			require.NoError(t, exp.Shutdown(t.Context()))
			require.NoError(t, exp.ForceFlush(t.Context()), "a no-op after Shutdown")
			require.Equal(t, []float64{1, 6, 1}, counterValues(sink))
			m := sink.Metrics()[0]
			require.Equal(t, metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA, m.GetSum().GetAggregationTemporality())
		})
	}
}

// TestMetricExporterNothingToSend sends no request when a delta flush has
// no data point.
func TestMetricExporterNothingToSend(t *testing.T) {
	srv := newScripted(t, answer{status: 200})
	src := &source{} // no series
	exp, err := otlp.NewMetricExporter(src, otlp.WithEndpoint(srv.URL), otlp.WithTemporality(otlp.TemporalityDelta))
	require.NoError(t, err)
	require.NoError(t, exp.ForceFlush(t.Context()))
	require.NoError(t, exp.Shutdown(t.Context()))
	require.Zero(t, srv.requests())
}

// TestMetricExporterConcurrentSafe flushes from several goroutines: the
// flushes take turns, every one sends.
func TestMetricExporterConcurrentSafe(t *testing.T) {
	sink := collector.NewSink(t)
	src := newSource()
	exp, err := otlp.NewMetricExporter(src, otlp.WithEndpoint(sink.URL()))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				src.add(1)
				require.NoError(t, exp.ForceFlush(t.Context()))
			}
		})
	}
	wg.Wait()
	require.NoError(t, exp.Shutdown(context.Background()))
	require.Len(t, counterValues(sink), 41)
}

// failures is a DropCounter that also counts failed export attempts, as
// the metrics Recorder does.
type failures struct {
	exportertest.Drops
	mu       sync.Mutex
	attempts int
}

func (f *failures) ExportFailed(string, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
}

func (f *failures) failed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

// TestMetricExporterDropsOnlyWhatIsLost: a failed flush the backend may
// accept later (no answer, 429, 503) loses nothing, since the next request
// carries the same totals: only the failed attempt is counted. A refusal
// for good (400), or a failure of Shutdown's last request, counts the
// request's data points as dropped.
func TestMetricExporterDropsOnlyWhatIsLost(t *testing.T) {
	status := func(code int) func(t *testing.T) string {
		return func(t *testing.T) string { return newScripted(t, answer{status: code}).URL }
	}
	tests := []struct {
		name     string
		endpoint func(t *testing.T) string
		shutdown bool
		dropped  int
	}{
		{name: "503", endpoint: status(http.StatusServiceUnavailable)},
		{name: "429", endpoint: status(http.StatusTooManyRequests)},
		{name: "refused", endpoint: func(t *testing.T) string { return exportertest.ClosedURL(t) }},
		{name: "400", endpoint: status(http.StatusBadRequest), dropped: sourcePoints},
		{name: "503 at shutdown", endpoint: status(http.StatusServiceUnavailable), shutdown: true, dropped: sourcePoints},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var counts failures
			exp, err := otlp.NewMetricExporter(newSource(), otlp.WithEndpoint(tt.endpoint(t)), otlp.WithDropCounter(&counts))
			require.NoError(t, err)
			if tt.shutdown {
				require.Error(t, exp.Shutdown(t.Context()))
			} else {
				require.Error(t, exp.ForceFlush(t.Context()))
			}
			require.Equal(t, tt.dropped, counts.Count(otlp.Name, exporters.SignalMetrics))
			require.Equal(t, 1, counts.failed(), "the failed attempt is counted")
		})
	}
}
