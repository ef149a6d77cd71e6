package otlpgrpc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/collector"
)

// TestThroughCollector sends every signal over gRPC through a real
// OpenTelemetry Collector and reads them back from its sink.
func TestThroughCollector(t *testing.T) {
	c := collector.Start(t)
	p := newPipeline(t, c.OTLPGRPCEndpoint())

	spanErr, metricErr, logErr := p.emit(t, 2)
	require.NoError(t, spanErr)
	require.NoError(t, metricErr)
	require.NoError(t, logErr)

	spans, err := c.WaitSpans(t.Context(), 2)
	require.NoError(t, err, "collector output:\n%s", c.Output())
	require.Equal(t, "work", spans[0].GetName())
	metrics, err := c.WaitMetrics(t.Context(), 3)
	require.NoError(t, err, "collector output:\n%s", c.Output())
	names := map[string]bool{}
	for _, m := range metrics {
		names[m.GetName()] = true
	}
	require.Equal(t, map[string]bool{
		"lumen_test_invocations_total": true, "lumen_test_duration_seconds": true, "lumen_test_memory_bytes": true,
	}, names)
	logs, err := c.WaitLogRecords(t.Context(), 2)
	require.NoError(t, err, "collector output:\n%s", c.Output())
	require.Equal(t, "hello", logs[0].GetBody().GetStringValue())
	require.Empty(t, c.Errors())
	items, _ := p.drops.Get()
	require.Nil(t, items)
}
