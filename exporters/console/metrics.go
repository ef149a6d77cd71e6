package console

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// MetricsExporter writes the metrics of a Prometheus registry to stdout in
// the Prometheus text format at every flush, for local runs
// (OTEL_METRICS_EXPORTER=console). It gathers the whole registry each time:
// made for reading, not for production.
type MetricsExporter struct {
	g   prometheus.Gatherer
	w   io.Writer
	mu  sync.Mutex
	buf bytes.Buffer
}

// NewMetrics returns a MetricsExporter of g writing to os.Stdout.
func NewMetrics(g prometheus.Gatherer, opts ...Option) *MetricsExporter {
	c := config{w: os.Stdout}
	for _, o := range opts {
		c = o.apply(c)
	}
	return &MetricsExporter{g: g, w: c.w}
}

// ForceFlush writes every metric family, then a blank line.
func (e *MetricsExporter) ForceFlush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mfs, err := e.g.Gather()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.buf.Reset()
	for _, mf := range mfs {
		if _, werr := expfmt.MetricFamilyToText(&e.buf, mf); werr != nil {
			return fmt.Errorf("console metrics: %w", werr)
		}
	}
	e.buf.WriteByte('\n')
	if _, werr := e.w.Write(e.buf.Bytes()); werr != nil {
		return fmt.Errorf("console metrics: %w", werr)
	}
	return err
}

// Shutdown writes the final values.
func (e *MetricsExporter) Shutdown(ctx context.Context) error { return e.ForceFlush(ctx) }

// Name returns "console".
func (e *MetricsExporter) Name() string { return Name }
