package otlpgrpc

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/logging"
)

// Name is the name the exporters are registered under (exporters.GRPC):
// the telemetry package looks it up for the otlp exporter when
// OTEL_EXPORTER_OTLP_PROTOCOL is grpc.
const Name = exporters.GRPC

// reconnect paces gRPC's reconnections to a backend that went away as the
// runtime's flush point paces its retries: from 100 ms, at most 500 ms
// apart. gRPC's own default (1 s, growing to 2 minutes) kept every export
// failing fast for a second or more after the backend was back, whatever
// the flush point's retries did.
var reconnect = grpc.WithConnectParams(grpc.ConnectParams{
	Backoff:           backoff.Config{BaseDelay: 100 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 500 * time.Millisecond},
	MinConnectTimeout: time.Second,
})

func init() {
	exporters.RegisterSpanExporter(Name, newSpans)
	exporters.RegisterMetricsExporter(Name, newMetrics)
	exporters.RegisterLogExporter(Name, newLogs)
}

// newSpans is the registered span exporter factory: otlptracegrpc
// configured from cfg.OTLP, without the SDK's retries. It counts nothing
// itself: the telemetry package's span processor keeps the spans of a
// failed export for the next flush and counts those it has to drop.
func newSpans(ctx context.Context, cfg exporters.Config) (sdktrace.SpanExporter, error) {
	opts := traceOptions.from(cfg.OTLP)
	exp, err := otlptracegrpc.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("otlpgrpc: span exporter: %w", err)
	}
	return exp, nil
}

// newMetrics is the registered metrics exporter factory: an otlpmetric
// Exporter of cfg.Gatherer over otlpmetricgrpc configured from cfg.OTLP.
func newMetrics(ctx context.Context, cfg exporters.Config) (exporters.Flusher, error) {
	opts := metricOptions.from(cfg.OTLP)
	mopts := []otlpmetric.Option{
		otlpmetric.WithProtocol(exporters.ProtocolGRPC), otlpmetric.WithGRPCOptions(opts...),
		otlpmetric.WithDropCounter(cfg.Drops),
	}
	if cfg.Resource != nil {
		mopts = append(mopts, otlpmetric.WithResource(cfg.Resource))
	}
	if cfg.Instance != "" {
		mopts = append(mopts, otlpmetric.WithInstance(cfg.Instance))
	}
	exp, err := otlpmetric.New(ctx, cfg.Gatherer, mopts...)
	if err != nil {
		return nil, fmt.Errorf("otlpgrpc: metrics exporter: %w", err)
	}
	return exp, nil
}

// newLogs is the registered log exporter factory: an otlplog Exporter over
// otlploggrpc configured from cfg.OTLP.
func newLogs(ctx context.Context, cfg exporters.Config) (exporters.LogExporter, error) {
	opts := logOptions.from(cfg.OTLP)
	grpcExp, err := otlploggrpc.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("otlpgrpc: log exporter: %w", err)
	}
	// The telemetry package applies the level, sampling and redaction
	// policy around this handler: let everything through here.
	lopts := []otlplog.Option{otlplog.WithExporter(grpcExp), otlplog.WithDropCounter(cfg.Drops),
		otlplog.WithLoggingOptions(logging.WithLevel(slog.Level(math.MinInt)), logging.WithoutDefaultRedaction()),
		// Records leave at the flush point, under its budget; the batch
		// processor's own timer and 30 s export timeout would outlive it.
		otlplog.WithBatchOptions(sdklog.WithExportInterval(24*time.Hour), sdklog.WithExportTimeout(time.Second))}
	if cfg.Resource != nil {
		lopts = append(lopts, otlplog.WithResource(cfg.Resource))
	}
	if n := cfg.LogQueue.MaxSize; n > 0 {
		lopts = append(lopts, otlplog.WithMaxQueueSize(n))
	}
	if n := cfg.LogQueue.MaxExportBatch; n > 0 {
		lopts = append(lopts, otlplog.WithBatchOptions(sdklog.WithExportMaxBatchSize(n)))
	}
	exp, err := otlplog.New(ctx, lopts...)
	if err != nil {
		return nil, fmt.Errorf("otlpgrpc: log exporter: %w", err)
	}
	return exp, nil
}

var (
	_ exporters.SpanExporterFactory    = newSpans
	_ exporters.MetricsExporterFactory = newMetrics
	_ exporters.LogExporterFactory     = newLogs
	_ exporters.LogExporter            = (*otlplog.Exporter)(nil)
	_ exporters.Flusher                = (*otlpmetric.Exporter)(nil)
)
