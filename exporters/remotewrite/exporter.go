package remotewrite

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/exp/api/remote"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
	"github.com/lumen-rt/lumen/exporters/internal/turn"
)

// Name is the exporter name passed to [exporters.DropCounter].
const Name = "remotewrite"

// Exporter writes the metrics of a prometheus.Gatherer to a remote write
// endpoint at every flush. Its methods are safe for concurrent use.
type Exporter struct {
	cfg       config
	gatherer  prometheus.Gatherer
	api       *remote.API
	client    *http.Client
	ownClient bool

	// turn holds one token: the write in progress. The fields below it are
	// used only by its holder.
	turn   turn.Turn
	batch  *batch
	req    writeRequest
	lastTS int64

	instance envconfig.ID

	shutdown atomic.Bool
}

// New returns an Exporter that writes what g gathers. It reads the
// LUMEN_REMOTE_WRITE_* variables, then applies opts (see the package
// documentation for names and defaults), and does no I/O: the first request
// is the first [Exporter.ForceFlush]. Configuration errors wrap
// [ErrInvalidConfig].
func New(g prometheus.Gatherer, opts ...Option) (*Exporter, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil Gatherer", ErrInvalidConfig)
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	e := &Exporter{cfg: cfg, gatherer: g, turn: turn.New()}
	e.instance.Configured = cfg.instance
	e.client, e.ownClient = httpClient(&e.cfg)
	e.api, err = remote.NewAPI(cfg.url,
		remote.WithAPIPath(""),
		remote.WithAPIHTTPClient(e.client),
		remote.WithAPIBackoff(remote.BackoffConfig{Min: cfg.minBackoff, Max: cfg.maxBackoff, MaxRetries: cfg.retries}),
	)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return e, nil
}

// Job returns the job label of every series.
func (e *Exporter) Job() string { return e.cfg.job }

// Instance returns the instance label of every series, the execution
// environment's id. A random id is drawn on the first call that needs it.
func (e *Exporter) Instance() string { return e.instance.Get() }

// ForceFlush gathers the metrics and writes one sample per series, stamped
// with the flush time. It returns when the endpoint has accepted the write,
// the retries are spent or ctx ends, whichever is first. A failed write
// returns the error and reports its series to the DropCounter. After
// [Exporter.Shutdown] it returns [ErrShutdown].
func (e *Exporter) ForceFlush(ctx context.Context) error {
	if e.shutdown.Load() {
		return ErrShutdown
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("remotewrite: waiting for the previous write: %w", err)
	}
	defer e.turn.Release()
	if e.shutdown.Load() {
		return ErrShutdown
	}
	return e.write(ctx, false)
}

// Shutdown writes the final values, each followed by a staleness marker
// unless [WithoutStaleMarkers] was given, and closes idle connections of the
// exporter's own HTTP client. It waits for a write in progress, but never
// past ctx. Later calls return nil; later ForceFlush calls return
// [ErrShutdown].
func (e *Exporter) Shutdown(ctx context.Context) error {
	if !e.shutdown.CompareAndSwap(false, true) {
		return nil
	}
	defer e.closeIdle()
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("remotewrite: waiting for the last write: %w", err)
	}
	defer e.turn.Release()
	return e.write(ctx, !e.cfg.noStale)
}

// write gathers, encodes and sends one request. The caller holds the turn.
func (e *Exporter) write(ctx context.Context, stale bool) error {
	if e.batch == nil {
		target := maps.Clone(e.cfg.labels)
		if target == nil {
			target = map[string]string{}
		}
		target["job"], target["instance"] = e.cfg.job, e.Instance()
		e.batch = newBatch(target)
	}
	// Gather returns what it could together with the error; send that part.
	mfs, gatherErr := e.gatherer.Gather()
	if gatherErr != nil {
		gatherErr = fmt.Errorf("remotewrite: gather: %w", gatherErr)
	}
	e.batch.reset()
	e.batch.add(mfs)
	series := len(e.batch.series)
	if series == 0 {
		return gatherErr
	}
	ts := max(e.cfg.now().UnixMilli(), e.lastTS+1)
	e.lastTS = ts
	if stale {
		e.lastTS = ts + 1
	}
	e.req.encode(e.batch, ts, stale)

	var lastTry error
	_, err := e.api.Write(ctx, remote.WriteV1MessageType, &e.req,
		remote.WithWriteRetryCallback(func(err error) { lastTry = err }))
	if err != nil {
		if lastTry != nil && !errors.Is(err, lastTry) {
			err = fmt.Errorf("%w (last retried failure: %w)", err, lastTry)
		}
		// The client wraps transport errors in a type without Unwrap; keep
		// ctx's error reachable for errors.Is.
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		e.dropped(series)
		return errors.Join(gatherErr, fmt.Errorf("remotewrite: write %d series to %s: %w", series, e.cfg.url, err))
	}
	return gatherErr
}

func (e *Exporter) dropped(series int) {
	exporters.CountFailure(e.cfg.drops, Name, exporters.SignalMetrics, series)
}

// closeIdle closes the idle connections of the exporter's own client.
func (e *Exporter) closeIdle() {
	if e.ownClient {
		e.client.CloseIdleConnections()
	}
}

var _ interface {
	ForceFlush(context.Context) error
	Shutdown(context.Context) error
} = (*Exporter)(nil)

// Name returns the exporter's name, as the runtime's flush metrics and the
// DropCounter label it.
func (e *Exporter) Name() string { return Name }
