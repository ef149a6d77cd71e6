package otlp

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/exporters/internal/turn"
)

// MetricsScope is the instrumentation scope of the metrics.
const MetricsScope = "github.com/lumen-rt/lumen/metrics"

// SeriesSource is what a [MetricExporter] exports: the metrics Recorder,
// which hands each of its series to visit in turn.
type SeriesSource = exporters.SeriesSource

// Temporality is the aggregation temporality of counters and histograms,
// as OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE names it.
type Temporality uint8

// The temporality preferences of the OpenTelemetry specification. Lumen's
// counters are synchronous monotonic counters and its histograms
// synchronous histograms, so delta and lowmemory both send them as deltas;
// gauges have no temporality.
const (
	// TemporalityCumulative sends every counter and histogram as its total
	// since the series started.
	TemporalityCumulative Temporality = iota
	// TemporalityDelta sends counters and histograms as their change since
	// the last delivered request; series that did not change are not sent.
	TemporalityDelta
	// TemporalityLowMemory is delta for synchronous counters and
	// histograms, which are all of Lumen's.
	TemporalityLowMemory
)

// String returns the name of t as the variable spells it.
func (t Temporality) String() string {
	switch t {
	case TemporalityDelta:
		return "delta"
	case TemporalityLowMemory:
		return "lowmemory"
	}
	return "cumulative"
}

// ParseTemporality parses "cumulative" (or ""), "delta" or "lowmemory",
// case-insensitively.
func ParseTemporality(s string) (Temporality, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "cumulative":
		return TemporalityCumulative, nil
	case "delta":
		return TemporalityDelta, nil
	case "lowmemory":
		return TemporalityLowMemory, nil
	}
	return 0, fmt.Errorf("%w: temporality %q, want cumulative, delta or lowmemory", ErrInvalidConfig, s)
}

// MetricExporter sends the series of a [SeriesSource] as one OTLP/HTTP
// request per flush. Its methods are safe for concurrent use.
type MetricExporter struct {
	src    SeriesSource
	send   *sender
	closed atomic.Bool

	// turn holds one token: the export in progress. The fields below are
	// used only by its holder.
	turn turn.Turn
	enc  *otlpwire.Metrics
	buf  []byte
}

// NewMetricExporter returns an exporter of src's series. It does no I/O.
// Defaults: see the options.
func NewMetricExporter(src SeriesSource, opts ...Option) (*MetricExporter, error) {
	if src == nil {
		return nil, fmt.Errorf("%w: nil SeriesSource", ErrInvalidConfig)
	}
	c := newConfig(opts)
	if c.temporality > TemporalityLowMemory {
		return nil, fmt.Errorf("%w: temporality %d", ErrInvalidConfig, c.temporality)
	}
	s, err := newSender(&c, exporters.SignalMetrics, pathMetrics)
	if err != nil {
		return nil, err
	}
	return &MetricExporter{
		src:  src,
		send: s,
		turn: turn.New(),
		enc:  otlpwire.NewMetrics(c.resource, MetricsScope, c.temporality != TemporalityCumulative),
	}, nil
}

// ForceFlush sends every series in one request and returns when it is
// answered or ctx ends. A failed request returns an [*ExportError]. When
// the backend may accept the data later (no answer, 429, 502, 503, 504)
// nothing is lost, and nothing is counted as dropped, only the failed
// attempt: the next request carries the same totals (cumulative) or the
// same increments (delta). Data points the backend refused for good
// (another status, a partial success) are counted as dropped. After
// Shutdown it does nothing.
func (e *MetricExporter) ForceFlush(ctx context.Context) error {
	if e.closed.Load() {
		return nil
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("otlp: metrics: waiting for the export in progress: %w", err)
	}
	defer e.turn.Release()
	if e.closed.Load() {
		return nil
	}
	return e.export(ctx, false)
}

// Shutdown sends the final values once, waiting for an export in progress
// but never past ctx; if that request fails, its data points are counted
// as dropped: there is no later request. Later calls, and ForceFlush, do
// nothing.
func (e *MetricExporter) Shutdown(ctx context.Context) error {
	if !e.closed.CompareAndSwap(false, true) {
		return nil
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("otlp: metrics: waiting for the export in progress: %w", err)
	}
	defer e.turn.Release()
	return e.export(ctx, true)
}

// export encodes and sends once; final is Shutdown's last request. The
// caller holds the turn.
func (e *MetricExporter) export(ctx context.Context, final bool) error {
	var points int
	e.buf, points = e.enc.Append(e.buf[:0], e.src, time.Now())
	if points == 0 {
		return nil
	}
	err := e.send.send(ctx, e.buf, points)
	if err == nil {
		e.enc.Commit()
		return nil
	}
	x, ok := asExportError(err)
	switch {
	case ok && x.partial():
		// Delivered: only the rejected points are lost.
		e.enc.Commit()
		points = x.Items
	case ok && x.Retryable() && !final:
		// Uncommitted: the next request carries these points.
		points = 0
	}
	e.send.countFailure(points)
	return err
}

// Name returns the name the exporter's drops are counted under.
func (e *MetricExporter) Name() string { return e.send.name }

var _ exporters.Flusher = (*MetricExporter)(nil)
