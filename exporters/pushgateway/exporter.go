package pushgateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	dto "github.com/prometheus/client_model/go"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
	"github.com/lumen-rt/lumen/exporters/internal/turn"
)

// Name is the exporter name passed to [exporters.DropCounter].
const Name = "pushgateway"

// Exporter pushes the metrics of a prometheus.Gatherer to the execution
// environment's own group on a Pushgateway. Its methods are safe for
// concurrent use.
type Exporter struct {
	cfg      config
	gatherer prometheus.Gatherer

	// turn holds one token: the push, or delete, in progress.
	turn turn.Turn

	instance envconfig.ID

	shutdown atomic.Bool
}

// New returns an Exporter that pushes what g gathers. It reads the
// LUMEN_PUSHGATEWAY_* variables, then applies opts (see the package
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
	return e, nil
}

// Job returns the job label of the grouping key.
func (e *Exporter) Job() string { return e.cfg.job }

// Instance returns the instance label of the grouping key, the execution
// environment's id. A random id is drawn on the first call that needs it.
func (e *Exporter) Instance() string { return e.instance.Get() }

// ForceFlush gathers the metrics and pushes them with PUT, replacing the
// environment's group. It returns when the gateway has answered or ctx
// ends, whichever is first. A failed push returns the error and reports the
// series it carried to the DropCounter. After [Exporter.Shutdown] it returns
// [ErrShutdown].
func (e *Exporter) ForceFlush(ctx context.Context) error {
	if e.shutdown.Load() {
		return ErrShutdown
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("pushgateway: waiting for the previous push: %w", err)
	}
	defer e.turn.Release()
	if e.shutdown.Load() {
		return ErrShutdown
	}
	// Gather returns what it could together with the error; push that part.
	mfs, gatherErr := e.gatherer.Gather()
	if gatherErr != nil {
		gatherErr = fmt.Errorf("pushgateway: gather: %w", gatherErr)
	}
	series := seriesCount(mfs)
	if err := e.pusher(ctx, mfs).PushContext(ctx); err != nil {
		e.dropped(series)
		return errors.Join(gatherErr, fmt.Errorf("pushgateway: push %d series to %s: %w", series, e.cfg.url, err))
	}
	return gatherErr
}

// Shutdown deletes the environment's group from the Pushgateway, unless
// [WithoutDeleteOnShutdown] was given, and closes idle connections of the
// exporter's own HTTP client. It waits for a push in progress, but never
// past ctx. Later calls return nil; later ForceFlush calls return
// [ErrShutdown].
func (e *Exporter) Shutdown(ctx context.Context) error {
	if !e.shutdown.CompareAndSwap(false, true) {
		return nil
	}
	defer e.closeIdle()
	if e.cfg.keepGroup {
		return nil
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("pushgateway: waiting for the last push: %w", err)
	}
	defer e.turn.Release()
	if err := e.pusher(ctx, nil).Delete(); err != nil {
		return fmt.Errorf("pushgateway: delete group job=%q instance=%q: %w", e.cfg.job, e.Instance(), err)
	}
	return nil
}

// pusher returns a push.Pusher for the environment's grouping key whose
// requests are bounded by ctx.
func (e *Exporter) pusher(ctx context.Context, mfs []*dto.MetricFamily) *push.Pusher {
	p := push.New(e.cfg.url, e.cfg.job).
		Grouping("instance", e.Instance()).
		Client(boundDoer{ctx: ctx, next: e.cfg.client, cfg: &e.cfg})
	for name, value := range e.cfg.grouping {
		p.Grouping(name, value)
	}
	if mfs != nil {
		p.Gatherer(prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) { return mfs, nil }))
	}
	return p
}

func (e *Exporter) dropped(series int) {
	if series > 0 {
		exporters.CountFailure(e.cfg.drops, Name, exporters.SignalMetrics, series)
	}
}

// closeIdle closes the idle connections of the exporter's own client.
func (e *Exporter) closeIdle() {
	if c, ok := e.cfg.client.(*http.Client); ok && e.cfg.ownClient {
		c.CloseIdleConnections()
	}
}

var _ interface {
	ForceFlush(context.Context) error
	Shutdown(context.Context) error
} = (*Exporter)(nil)

// compile-time check that an *http.Client serves as the default client.
var _ push.HTTPDoer = (*http.Client)(nil)

// Name returns the exporter's name, as the runtime's flush metrics and the
// DropCounter label it.
func (e *Exporter) Name() string { return Name }
