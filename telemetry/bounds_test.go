package telemetry_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/telemetry"
)

// TestPipelineBufferBounds: OTEL_BSP_MAX_QUEUE_SIZE and
// OTEL_BLRP_MAX_QUEUE_SIZE bound what the spans' and the log records'
// flushers hold between flushes, and each flusher says when it holds half
// its bound, for a flush strategy that defers flushes.
func TestPipelineBufferBounds(t *testing.T) {
	tests := []struct {
		name    string
		flusher string
		vars    map[string]string
		emit    func(t *testing.T, p *telemetry.Pipeline)
		count   func(s *collector.Sink) int
	}{
		{
			name: "spans", flusher: "traces",
			vars: map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_BSP_MAX_QUEUE_SIZE": "4"},
			emit: func(t *testing.T, p *telemetry.Pipeline) {
				_, span := p.TracerProvider().Tracer("test").Start(context.Background(), "work")
				span.End()
			},
			count: func(s *collector.Sink) int { return len(s.Spans()) },
		},
		{
			name: "log records", flusher: "otlp",
			vars: map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_BLRP_MAX_QUEUE_SIZE": "4"},
			emit: func(t *testing.T, p *telemetry.Pipeline) {
				slog.New(p.LogHandler()).Info("work")
			},
			count: func(s *collector.Sink) int { return len(s.LogRecords()) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := collector.NewSink(t)
			vars := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": s.URL(), "OTEL_TRACES_EXPORTER": "none",
				"OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "none"}
			for k, v := range tt.vars {
				vars[k] = v
			}
			p, _ := build(t, vars, telemetry.WithoutGlobalTracerProvider())
			var f telemetry.Flusher
			for _, g := range p.Flushers() {
				if g.Name() == tt.flusher {
					f = g
				}
			}
			require.NotNil(t, f, "flushers: %v", names(p))
			bounded, ok := f.(interface{ HalfFull() bool })
			require.True(t, ok, "%T tells when it is half full", f)

			tt.emit(t, p)
			require.False(t, bounded.HalfFull(), "one of four")
			tt.emit(t, p)
			require.True(t, bounded.HalfFull(), "two of four")
			for range 4 {
				tt.emit(t, p)
			}
			require.NoError(t, f.ForceFlush(t.Context()))
			require.False(t, bounded.HalfFull(), "flushed")
			require.Equal(t, 4, tt.count(s), "six made, four kept")
		})
	}
}
