package otlpgrpc_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/faultproxy"
	"github.com/lumen-rt/lumen/runtime"
)

// TestReconnectsBeforeTheNextRetry: a backend that refused connections and
// is back gets the export the flush point retries at most
// runtime.FlushRetryMaxDelay later. gRPC's default reconnection backoff (1 s
// and more, at random ±20%) failed that export, and the ones after it for a
// second or more, without trying to connect: a healed Collector went on
// missing data. The wait between the exports is the flush point's own pace,
// not a synchronisation: the backend is back before it starts.
func TestReconnectsBeforeTheNextRetry(t *testing.T) {
	c := collector.Start(t)
	proxy := faultproxy.Start(t, strings.TrimPrefix(c.OTLPGRPCEndpoint(), "http://"))
	p := newPipeline(t, proxy.URL())

	proxy.Set(faultproxy.Refused)
	spanErr, metricErr, logErr := p.emit(t, 1)
	require.Error(t, spanErr)
	require.Error(t, metricErr)
	require.Error(t, logErr)

	proxy.Set(faultproxy.Healthy)
	time.Sleep(runtime.FlushRetryMaxDelay) // the flush point's next retry
	spanErr, metricErr, logErr = p.emit(t, 1)
	require.NoError(t, spanErr, "the span exporter reconnected")
	require.NoError(t, metricErr, "the metrics exporter reconnected")
	require.NoError(t, logErr, "the log exporter reconnected")
	_, err := c.WaitSpans(t.Context(), 1)
	require.NoError(t, err)
}
