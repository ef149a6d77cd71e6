package otlp_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// registered are the three exporters the registered factories build from
// one Config, as the telemetry package does; shut down when the test ends.
type registered struct {
	spans   sdktrace.SpanExporter
	metrics exporters.Flusher
	logs    exporters.LogExporter
}

func buildRegistered(t *testing.T, cfg exporters.Config) (registered, error) {
	t.Helper()
	var r registered
	var err1, err2, err3 error
	r.spans, err1 = exportertest.Build(t, exporters.LookupSpanExporter, otlp.Name, cfg)
	r.metrics, err2 = exportertest.Build(t, exporters.LookupMetricsExporter, otlp.Name, cfg)
	r.logs, err3 = exportertest.Build(t, exporters.LookupLogExporter, otlp.Name, cfg)
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

// emit exports two spans, the metrics and two log records, and returns the
// errors of the three flushes.
func (r registered) emit(t *testing.T) (spanErr, metricErr, logErr error) {
	t.Helper()
	spanErr = r.spans.ExportSpans(t.Context(), spans(2))
	metricErr = r.metrics.ForceFlush(t.Context())
	log := slog.New(r.logs.Handler())
	log.Info("one")
	log.Info("two")
	logErr = r.logs.ForceFlush(t.Context())
	return spanErr, metricErr, logErr
}

// TestRegistered checks that "otlp" is registered for every signal.
func TestRegistered(t *testing.T) {
	for _, signal := range []string{exporters.SignalTraces, exporters.SignalMetrics, exporters.SignalLogs} {
		require.Contains(t, exporters.Registered(signal), otlp.Name, signal)
	}
}

// TestFromConfig builds the exporters from the settings the telemetry
// package reads (a base URL, headers, gzip, a timeout), delivers every
// signal with the Config's resource, then counts each loss under "otlp".
func TestFromConfig(t *testing.T) {
	sink := collector.NewSink(t)
	drops := &exportertest.Drops{}
	r, err := buildRegistered(t, exporters.Config{
		Drops: drops, Series: newSource(), Resource: testResource,
		OTLP: exporters.OTLPSettings{Endpoint: sink.URL(), Protocol: exporters.ProtocolHTTPProtobuf, Compression: "gzip",
			Headers: map[string]string{"X-Tenant": "acme"}, Timeout: 5 * time.Second, Temporality: "delta"},
	})
	require.NoError(t, err)
	spanErr, metricErr, logErr := r.emit(t)
	require.NoError(t, spanErr)
	require.NoError(t, metricErr)
	require.NoError(t, logErr)
	require.Len(t, sink.Spans(), 2)
	require.Len(t, sink.Metrics(), sourcePoints)
	require.Len(t, sink.LogRecords(), 2)
	require.Equal(t, map[string]any{"service.name": "hello"},
		otlptest.Attributes(sink.TraceRequests()[0].GetResourceSpans()[0].GetResource().GetAttributes()))

	sink.SetStatus(http.StatusBadRequest)
	spanErr, metricErr, logErr = r.emit(t)
	require.ErrorIs(t, spanErr, otlp.ErrStatus)
	require.ErrorIs(t, metricErr, otlp.ErrStatus)
	require.ErrorIs(t, logErr, otlp.ErrStatus)
	items, _ := drops.Get()
	require.Equal(t, map[string]int{"otlp/traces": 2, "otlp/metrics": 1, "otlp/logs": 2}, items,
		"delta: only the gauge changed")
}

// TestFromConfigSignalURL posts to a signal's own URL as is.
func TestFromConfigSignalURL(t *testing.T) {
	srv := newScripted(t, answer{status: 200})
	r, err := buildRegistered(t, exporters.Config{Series: newSource(),
		OTLP: exporters.OTLPSettings{Endpoint: srv.URL + "/custom", SignalURL: true}})
	require.NoError(t, err)
	_, _, _ = r.emit(t)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	require.Equal(t, []string{"/custom", "/custom", "/custom"}, srv.paths)
}

// TestFromConfigGatherer exports a registry's metrics when the Config has
// no series source.
func TestFromConfigGatherer(t *testing.T) {
	sink := collector.NewSink(t)
	reg := exportertest.NewRegistry()
	reg.Invoke(3, 0)
	r, err := buildRegistered(t, exporters.Config{Gatherer: reg, OTLP: exporters.OTLPSettings{Endpoint: sink.URL()}})
	require.NoError(t, err)
	require.NoError(t, r.metrics.ForceFlush(t.Context()))
	names := map[string]bool{}
	for _, m := range sink.Metrics() {
		names[m.GetName()] = true
	}
	require.Equal(t, map[string]bool{
		"lumen_test_invocations_total": true, "lumen_test_duration_seconds": true, "lumen_test_memory_bytes": true,
	}, names)
}

// TestFromConfigErrors checks the settings the exporters refuse.
func TestFromConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  exporters.Config
		want string
	}{
		{name: "grpc", cfg: exporters.Config{OTLP: exporters.OTLPSettings{Protocol: exporters.ProtocolGRPC}}, want: `"otlpgrpc"`},
		{name: "compression", cfg: exporters.Config{OTLP: exporters.OTLPSettings{Compression: "zstd"}}, want: "zstd"},
		{name: "endpoint", cfg: exporters.Config{OTLP: exporters.OTLPSettings{Endpoint: "collector:4318"}}, want: "want http(s)://host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Series = newSource()
			_, err := buildRegistered(t, tt.cfg)
			require.ErrorIs(t, err, otlp.ErrInvalidConfig)
			require.ErrorContains(t, err, tt.want)
		})
	}
	_, err := exportertest.Build(t, exporters.LookupMetricsExporter, otlp.Name,
		exporters.Config{Series: newSource(), OTLP: exporters.OTLPSettings{Temporality: "sometimes"}})
	require.ErrorIs(t, err, otlp.ErrInvalidConfig)
	_, err = exportertest.Build(t, exporters.LookupMetricsExporter, otlp.Name, exporters.Config{})
	require.ErrorIs(t, err, otlp.ErrInvalidConfig)
}
