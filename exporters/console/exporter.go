package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// ErrShutdown is returned by ExportSpans after Shutdown.
var ErrShutdown = errors.New("console: exporter is shut down")

// Option configures an [Exporter].
type Option interface {
	apply(config) config
}

type optionFunc func(config) config

func (f optionFunc) apply(c config) config { return f(c) }

type config struct {
	w io.Writer
}

// WithWriter sets where the trees are written. Default: os.Stderr.
func WithWriter(w io.Writer) Option {
	return optionFunc(func(c config) config {
		c.w = w
		return c
	})
}

// Exporter writes span trees to a writer. It is safe for concurrent use.
type Exporter struct {
	mu      sync.Mutex // serialises writes, guards buf and stopped
	w       io.Writer
	buf     []byte
	stopped bool
}

var _ sdktrace.SpanExporter = (*Exporter)(nil)

// New returns an exporter writing to os.Stderr unless [WithWriter] says
// otherwise.
func New(opts ...Option) *Exporter {
	c := config{w: os.Stderr}
	for _, o := range opts {
		c = o.apply(c)
	}
	if c.w == nil {
		c.w = io.Discard
	}
	return &Exporter{w: c.w}
}

// ExportSpans writes the spans as trees in a single Write. It returns
// [ErrShutdown] after Shutdown and the writer's error, wrapped, if the
// write fails; ctx is not consulted, as the write is local.
func (e *Exporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	if len(spans) == 0 {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return ErrShutdown
	}
	e.buf = appendTrees(e.buf[:0], spans)
	if _, err := e.w.Write(e.buf); err != nil {
		return fmt.Errorf("console: write: %w", err)
	}
	if cap(e.buf) > 1<<20 {
		e.buf = nil
	}
	return nil
}

// ForceFlush returns ctx's error, if any: writes are synchronous, nothing is
// ever pending.
func (e *Exporter) ForceFlush(ctx context.Context) error { return ctx.Err() }

// Shutdown stops the exporter; it is idempotent. The writer is not closed.
func (e *Exporter) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = true
	return nil
}
