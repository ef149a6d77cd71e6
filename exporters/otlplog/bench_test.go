package otlplog_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/logging"
)

type discardExporter struct{}

func (discardExporter) Export(context.Context, []sdklog.Record) error { return nil }
func (discardExporter) Shutdown(context.Context) error                { return nil }
func (discardExporter) ForceFlush(context.Context) error              { return nil }

// BenchmarkHandler measures the cost per line of the OTLP handler alone and
// teed with the stdout handler, inside an invocation with a span. Batches
// are exported (to nowhere) in the background as they fill.
func BenchmarkHandler(b *testing.B) {
	b.Setenv("AWS_LAMBDA_LOG_LEVEL", "")
	ctx, _ := invocationCtx(1, true)
	exp, err := otlplog.New(b.Context(), otlplog.WithExporter(discardExporter{}), otlplog.WithResource(resource.Empty()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	for _, bc := range []struct {
		name string
		h    slog.Handler
	}{
		{"otlp", exp.Handler()},
		{"stdout+otlp", slog.NewMultiHandler(logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON)), exp.Handler())},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l := slog.New(bc.h)
			b.ReportAllocs()
			for b.Loop() {
				l.LogAttrs(ctx, slog.LevelInfo, "charged", slog.Int("amount", 42), slog.String("currency", "EUR"), slog.Bool("ok", true))
			}
		})
	}
}
