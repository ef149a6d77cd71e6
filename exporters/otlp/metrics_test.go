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
			require.Equal(t, 2, drops.Count(otlp.Name, exporters.SignalMetrics), "the counter and the gauge; the histogram did not change")
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
