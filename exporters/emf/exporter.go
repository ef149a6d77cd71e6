package emf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/lumen-rt/lumen/exporters"
)

// ErrShutdown is returned by [Exporter.ForceFlush] after
// [Exporter.Shutdown].
var ErrShutdown = errors.New("emf: exporter is shut down")

// exporterName is the exporter label of its drops, and its flusher name.
const exporterName = "emf"

// Exporter writes a Gatherer's metrics as EMF documents on each flush. It is
// safe for concurrent use; flushes are serialised.
type Exporter struct {
	gatherer prometheus.Gatherer
	cfg      config
	static   []dimension // cfg.dimensions, cleaned and sorted

	sem      chan struct{} // held by the running flush
	inflight sync.WaitGroup
	state    map[string]counterState         // guarded by sem
	spare    map[string]counterState         // guarded by sem: the next state, reused
	buf      bytes.Buffer                    // guarded by sem
	conv     conversion                      // guarded by sem: reused by each flush
	dims     map[**dto.LabelPair]*seriesDims // guarded by sem: by label slice
	gen      uint64                          // guarded by sem: flushes so far
	shutdown atomic.Bool
	stopOnce sync.Once
	stopErr  error
}

// New returns an Exporter of g's metrics.
//
// Defaults: documents go to os.Stdout; namespace POWERTOOLS_METRICS_NAMESPACE
// or [DefaultNamespace]; a "service" dimension from POWERTOOLS_SERVICE_NAME
// when set; every family kept; drops not counted. Options override the
// environment. A nil g or invalid options are an error wrapping
// [ErrInvalidOption].
func New(g prometheus.Gatherer, opts ...Option) (*Exporter, error) {
	cfg, err := newConfig(opts, os.Getenv)
	if g == nil {
		err = errors.Join(err, fmt.Errorf("%w: nil Gatherer", ErrInvalidOption))
	}
	if err != nil {
		return nil, err
	}
	return &Exporter{
		gatherer: g, cfg: cfg, static: staticDimensions(cfg.dimensions),
		sem: make(chan struct{}, 1), state: map[string]counterState{},
	}, nil
}

// Name returns "emf", the name the runtime reports this flusher under.
func (e *Exporter) Name() string { return exporterName }

// ForceFlush gathers and writes the documents of everything that changed
// since the previous flush. It returns ctx's error if ctx ends first; the
// write then finishes in the background and commits what it wrote. Errors
// of the gather, of the writer and [ErrTooManyDimensions] are joined.
func (e *Exporter) ForceFlush(ctx context.Context) error {
	if e.shutdown.Load() {
		return ErrShutdown
	}
	return e.flush(ctx)
}

func (e *Exporter) flush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	done := make(chan error, 1)
	e.inflight.Go(func() {
		defer func() { <-e.sem }()
		done <- e.export()
	})
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("emf: flush still writing: %w", context.Cause(ctx))
	}
}

// export does one gather-and-write; the caller holds sem.
func (e *Exporter) export() error {
	mfs, gatherErr := e.gatherer.Gather()
	var errs []error
	if gatherErr != nil {
		errs = append(errs, fmt.Errorf("emf: gather: %w", gatherErr))
	}
	conv := e.convert(mfs, e.state)
	errs = append(errs, conv.errs...)
	docs, clashes := pack(conv.groups)
	if n := conv.dropped + clashes; n > 0 && e.cfg.drops != nil {
		e.cfg.drops.Dropped(exporterName, exporters.SignalMetrics, n)
	}

	// Series not written keep their committed state; vanished ones go.
	next := e.spare
	if next == nil {
		next = make(map[string]counterState, len(conv.seen))
	}
	clear(next)
	for key := range conv.seen {
		if s, ok := conv.commit[key]; ok {
			next[key] = s
		} else {
			next[key] = e.state[key]
		}
	}
	ts := e.cfg.now().UnixMilli()
	for _, d := range docs {
		e.buf.Reset()
		if err := d.encode(&e.buf, *e.cfg.namespace, ts); err != nil {
			errs = append(errs, fmt.Errorf("emf: encode: %w", err))
			continue
		}
		if _, err := e.cfg.writer.Write(e.buf.Bytes()); err != nil {
			// Uncommitted: the next flush writes these increases again.
			errs = append(errs, fmt.Errorf("emf: write: %w", err))
			continue
		}
		for _, p := range d.points {
			if p.key != "" {
				next[p.key] = p.next
			}
		}
	}
	e.spare, e.state = e.state, next
	return errors.Join(errs...)
}

// Shutdown writes a final flush and waits, within ctx, for any flush still
// writing. Later calls return nil and later flushes [ErrShutdown].
func (e *Exporter) Shutdown(ctx context.Context) error {
	first := false
	e.stopOnce.Do(func() {
		first = true
		e.shutdown.Store(true)
		e.stopErr = e.flush(ctx)
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
