package emf

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/jsonenc"
)

// ErrShutdown is returned by [Exporter.ForceFlush] after
// [Exporter.Shutdown].
var ErrShutdown = errors.New("emf: exporter is shut down")

// ErrTooManyDimensions is wrapped in the error of a flush that dropped
// series with more than [MaxDimensions] labels.
var ErrTooManyDimensions = errors.New("emf: too many dimensions")

// exporterName is the exporter label of its drops, and its flusher name.
const exporterName = "emf"

// freshVisitor is a SeriesSource that can also read what it caches now, as
// a *metrics.Recorder can: the final flush uses it.
type freshVisitor interface {
	VisitFresh(visit func(*exporters.Series))
}

// Exporter writes a SeriesSource's metrics as EMF documents on each flush. It is
// safe for concurrent use; flushes are serialised.
type Exporter struct {
	src        exporters.SeriesSource
	cfg        config
	static     []dimension // cfg.dimensions, cleaned and sorted
	jnamespace []byte
	headerSize int

	sem      chan struct{} // held by the running export
	inflight sync.WaitGroup
	pending  atomic.Int64 // values of the running export not yet written
	shutdown atomic.Bool
	stopOnce sync.Once
	stopErr  error

	// Guarded by sem: reused by every export.
	states  []seriesState // by series ID
	points  []point
	vals    []byte   // the points' encoded values
	arena   []uint64 // the histogram points' new bucket counts
	dist    []bucket
	docs    []*document
	buf     []byte
	invalid []string // series with too many dimensions
	dropped int
	collect func(*exporters.Series) // e.collectOne
}

// New returns an Exporter of src's metrics, usually a *metrics.Recorder.
// Any prometheus.Gatherer can be read through metrics.NewGatherVisitor.
//
// Defaults: documents go to os.Stdout; namespace [DefaultNamespace]; no
// constant dimension; the labels of [DefaultNameLabels] folded into metric
// names; every metric kept; drops not counted. New reads no environment
// variable. A nil src or invalid options are an error wrapping
// [ErrInvalidOption].
func New(src exporters.SeriesSource, opts ...Option) (*Exporter, error) {
	cfg, err := newConfig(opts)
	if src == nil {
		err = errors.Join(err, fmt.Errorf("%w: nil SeriesSource", ErrInvalidOption))
	}
	if err != nil {
		return nil, err
	}
	e := &Exporter{
		src: src, cfg: cfg, static: staticDimensions(cfg.dimensions),
		jnamespace: jsonenc.AppendString(nil, cfg.namespace),
		sem:        make(chan struct{}, 1),
	}
	e.headerSize = len(`{"_aws":{"Timestamp":,"CloudWatchMetrics":[]}}`+"\n") + 20
	e.collect = e.collectOne // bound once: Visit gets the same func value every flush
	return e, nil
}

// Name returns "emf", the name the runtime reports this flusher under.
func (e *Exporter) Name() string { return exporterName }

// ForceFlush writes a document of everything that changed since the
// previous flush. The document is encoded and written by a goroutine the
// call waits for within ctx: if ctx ends first (stdout blocked), the call
// returns ctx's error and the write finishes in the background, committing
// what it wrote; flushes meanwhile wait for it within their own ctx, and
// lose nothing, since what they would have written is still in the
// Recorder. Errors of the writer and [ErrTooManyDimensions] are joined.
func (e *Exporter) ForceFlush(ctx context.Context) error {
	if e.shutdown.Load() {
		return ErrShutdown
	}
	return e.flush(ctx, false)
}

func (e *Exporter) flush(ctx context.Context, fresh bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	done := make(chan error, 1) // this export's own: an abandoned one's result is dropped with it
	e.inflight.Go(func() {
		defer func() { <-e.sem }()
		done <- e.export(fresh)
	})
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("emf: flush still writing: %w", context.Cause(ctx))
	}
}

// export does one visit-and-write; the caller holds sem.
func (e *Exporter) export(fresh bool) error {
	e.points, e.vals, e.arena, e.invalid, e.dropped = e.points[:0], e.vals[:0], e.arena[:0], e.invalid[:0], 0
	if v, ok := e.src.(freshVisitor); ok && fresh {
		v.VisitFresh(e.collect)
	} else {
		e.src.Visit(e.collect)
	}
	docs := e.pack()
	var errs []error
	if len(e.invalid) > 0 {
		slices.Sort(e.invalid)
		names := slices.Compact(e.invalid)
		errs = append(errs, fmt.Errorf("%w: %d series of %s have more than %d",
			ErrTooManyDimensions, len(e.invalid), strings.Join(names, ", "), MaxDimensions))
	}
	if e.dropped > 0 && e.cfg.drops != nil {
		e.cfg.drops.Dropped(exporterName, exporters.SignalMetrics, e.dropped)
	}
	var pending int64
	for _, d := range docs {
		for _, i := range d.points {
			pending += int64(members(&e.states[e.points[i].id]))
		}
	}
	e.pending.Store(pending)
	ts := e.cfg.now().UnixMilli()
	for _, d := range docs {
		e.buf = e.encode(e.buf[:0], d, ts)
		if _, err := e.cfg.writer.Write(e.buf); err != nil {
			// Uncommitted: the next flush writes these changes again.
			errs = append(errs, fmt.Errorf("emf: write: %w", err))
			continue
		}
		for _, i := range d.points {
			p := &e.points[i]
			st := &e.states[p.id]
			e.commit(st, p)
			e.pending.Add(-int64(members(st)))
		}
	}
	return errors.Join(errs...)
}

// Shutdown writes a final flush, reading the source's cached collectors
// afresh (VisitFresh, when it has one), and waits, within ctx, for any flush still writing. What the
// final flush could not write (the writer failed, or ctx ended first) is
// counted as dropped. Later calls return nil and later flushes
// [ErrShutdown].
func (e *Exporter) Shutdown(ctx context.Context) error {
	first := false
	e.stopOnce.Do(func() {
		first = true
		e.shutdown.Store(true)
		e.stopErr = e.flush(ctx, true)
		if n := e.pending.Load(); e.stopErr != nil && n > 0 && e.cfg.drops != nil {
			e.cfg.drops.Dropped(exporterName, exporters.SignalMetrics, int(n))
		}
	})
	if !first {
		return nil
	}
	waited := make(chan struct{})
	go func() {
		e.inflight.Wait()
		close(waited)
	}()
	select {
	case <-waited:
		return e.stopErr
	case <-ctx.Done():
		return errors.Join(e.stopErr, ctx.Err())
	}
}

// Compile-time check that the runtime can call it at the flush point.
var _ interface {
	ForceFlush(context.Context) error
	Shutdown(context.Context) error
	Name() string
} = (*Exporter)(nil)
