package flush_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/otlplog"
)

// BenchmarkFlushOTLPLogs sends one invocation's log record over OTLP/HTTP to
// a loopback sink.
func BenchmarkFlushOTLPLogs(b *testing.B) {
	url, requests := otlpSink(b)
	b.Setenv("OTEL_LOGS_EXPORTER", "otlp")
	b.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", url)
	b.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	exp, err := otlplog.New(b.Context())
	require.NoError(b, err)
	log := slog.New(exp.Handler())
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		log.InfoContext(ctx, "greeted", "name", "bench", "bytes", 0)
		if err := exp.ForceFlush(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.NoError(b, exp.Shutdown(context.WithoutCancel(ctx)))
	if requests.Load() == 0 {
		b.Fatal("the sink received no export")
	}
}
