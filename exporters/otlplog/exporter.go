package otlplog

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/tracing"
)

// Exporter exports slog records over OTLP. It is safe for concurrent use.
type Exporter struct {
	provider *sdklog.LoggerProvider
	handler  slog.Handler
	ledger   *ledger
	closed   atomic.Bool
}

// flusher is the shape of the runtime's flush point and shutdown hook.
type flusher interface {
	ForceFlush(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

var _ flusher = (*Exporter)(nil)

// New builds the LoggerProvider, its batch processor and the exporter, and
// returns them as an Exporter. New does no network I/O: an unreachable
// endpoint shows in ForceFlush.
//
// Defaults: OTLP over HTTP/protobuf to the OTLP default endpoint, the Lambda
// resource of tracing.Resource, a queue of [DefaultMaxQueueSize] records,
// the SDK's batch defaults (OTEL_BLRP_*), no DropCounter, and the logging
// package's level, sampling and redaction from the environment.
func New(ctx context.Context, opts ...Option) (*Exporter, error) {
	c := newConfig(opts)
	exp := c.exporter
	if exp == nil {
		var err error
		if exp, err = defaultExporter(ctx); err != nil {
			return nil, err
		}
	}
	res := c.resource
	if res == nil {
		res = tracing.NewResource(tracing.Environment{})
	}
	l := &ledger{drops: c.drops, maxQueue: int64(c.maxQueue)}
	batch := sdklog.NewBatchProcessor(&countingExporter{Exporter: exp, l: l},
		append(c.batch[:len(c.batch):len(c.batch)], sdklog.WithMaxQueueSize(c.maxQueue))...)
	provider := sdklog.NewLoggerProvider(
		sdklog.WithResource(res),
		sdklog.WithProcessor(stamp{}),
		sdklog.WithProcessor(&guard{BatchProcessor: batch, l: l}),
	)
	e := &Exporter{provider: provider, ledger: l}
	bridge := otelslog.NewHandler(c.scope, otelslog.WithLoggerProvider(provider))
	e.handler = logging.Wrap(&closedGuard{next: bridge, e: e}, c.logging...)
	return e, nil
}

// Handler returns the slog.Handler that sends records to this Exporter,
// under the logging package's level, sampling and redaction policy.
func (e *Exporter) Handler() slog.Handler { return e.handler }

// LoggerProvider returns the provider, for other log bridges (for example
// otelzap) that should share the pipeline.
func (e *Exporter) LoggerProvider() log.LoggerProvider { return e.provider }

// ForceFlush exports every queued record and returns when they are
// delivered, ctx ends, or the export fails. It is a no-op after Shutdown.
func (e *Exporter) ForceFlush(ctx context.Context) error {
	if e.closed.Load() {
		return nil
	}
	if err := e.provider.ForceFlush(ctx); err != nil {
		return fmt.Errorf("otlplog: flush: %w", err)
	}
	return nil
}

// Shutdown flushes the queued records and stops the exporter, within ctx.
// Records logged afterwards are dropped and counted. Only the first call
// does anything.
func (e *Exporter) Shutdown(ctx context.Context) error {
	if !e.closed.CompareAndSwap(false, true) {
		return nil
	}
	if err := e.provider.Shutdown(ctx); err != nil {
		return fmt.Errorf("otlplog: shutdown: %w", err)
	}
	return nil
}

// closedGuard counts the records logged after Shutdown, which the SDK
// discards.
type closedGuard struct {
	next slog.Handler
	e    *Exporter
}

var _ slog.Handler = (*closedGuard)(nil)

func (g *closedGuard) Enabled(ctx context.Context, l slog.Level) bool {
	return g.e.closed.Load() || g.next.Enabled(ctx, l)
}

func (g *closedGuard) Handle(ctx context.Context, r slog.Record) error {
	if g.e.closed.Load() {
		g.e.ledger.dropped(1)
		return nil
	}
	return g.next.Handle(ctx, r)
}

func (g *closedGuard) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &closedGuard{next: g.next.WithAttrs(attrs), e: g.e}
}

func (g *closedGuard) WithGroup(name string) slog.Handler {
	return &closedGuard{next: g.next.WithGroup(name), e: g.e}
}

// Name returns the exporter's name, as the runtime's flush metrics and the
// DropCounter label it.
func (e *Exporter) Name() string { return Name }
