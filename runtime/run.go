package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/metrics"
)

// ErrShutdown is returned by [Run] after Lambda sent SIGTERM and the
// shutdown callbacks and final flush ran. [Start] exits 0 on it.
var ErrShutdown = errors.New("runtime: shut down on SIGTERM")

// errPlatformNoExtension says why platform telemetry is off when the
// internal extension, which subscribes to the Telemetry API, is turned off.
var errPlatformNoExtension = errors.New("platform telemetry off: it needs the runtime's internal extension, " +
	"turned off by WithShutdownExtension(false)")

// Run serves invocations until ctx is cancelled (it then returns nil), Lambda
// asks for shutdown ([ErrShutdown]) or a fatal error occurs: an init failure
// or invalid configuration (*[InitError], already posted to
// /runtime/init/error), a handler panic
// (*[PanicError], already posted with its stack), or a Runtime API failure
// (*[APIError] or a transport error). Invocations in flight finish first.
//
// Unlike [Start], Run never exits the process, which makes it the entry point
// for tests against package runtimetest.
func Run(ctx context.Context, handler any, opts ...Option) error {
	cfg, cfgErr := newConfig(opts)
	if cfg == nil {
		return cfgErr
	}
	if cfg.ownsClient {
		defer cfg.httpClient.CloseIdleConnections()
	}
	r := &runner{cfg: cfg, client: newClient(cfg.runtimeAPI, cfg.httpClient)}
	if err := errors.Join(cfgErr, cfg.setupErr); err != nil {
		r.shutdownPipeline(ctx)
		return r.initFailed(ErrorTypeInvalidConfig, err)
	}
	if p := cfg.pipeline; p != nil {
		// The configuration is valid: open the pipeline's listeners and
		// make it the process's.
		if err := p.Start(ctx); err != nil {
			r.shutdownPipeline(ctx)
			return r.initFailed(ErrorTypeInvalidConfig, err)
		}
		p.Install()
	}
	cfg.assemble()
	r.prepare()
	defer func() { r.reports.close(r.reportsEnd()) }()
	defer r.flush.close()

	fn, err := adapt(handler, &cfg.options)
	if err != nil {
		return r.initFailed(ErrorTypeInvalidHandler, err)
	}
	r.handler = fn
	if err := r.setup(ctx); err != nil {
		return err
	}

	loopCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var background sync.WaitGroup
	defer background.Wait()
	if cfg.shutdownEnabled() {
		r.enableShutdown(loopCtx, stop, &background)
	} else if p := cfg.pipeline; p != nil && p.WantsExtension() {
		cfg.handleError(errPlatformNoExtension)
	}
	// Init ends once the extension is registered and subscribed: Lambda
	// counts both in the init phase.
	r.tel.markInitDone()

	if r.flush.active() && r.schedule.deferring() {
		background.Go(func() { r.catchUp(loopCtx) })
	}
	var workers sync.WaitGroup
	for range cfg.maxConcurrency {
		workers.Go(func() {
			if err := r.work(loopCtx); err != nil {
				stop(err)
			}
		})
	}
	workersDone := make(chan struct{})
	go func() {
		workers.Wait()
		close(workersDone)
	}()
	select {
	case <-workersDone:
	case <-r.shutDown:
		// Lambda kills the process soon after SIGTERM: a handler still
		// running is not waited for. Its invocation's telemetry left with
		// the final flush.
	}
	stop(nil)
	background.Wait()
	if err := context.Cause(loopCtx); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// runner holds what every worker shares: one client, one handler, one flush
// point.
type runner struct {
	cfg      *config
	client   *client
	handler  invokeFunc
	flush    *flushPoint
	reports  *flushReports // the flush point's, off the loop
	tel      *instruments
	schedule *flushSchedule
	// deferred tells catchUp that the schedule declined a flush.
	deferred chan struct{}
	setEnv   bool // set _X_AMZN_TRACE_ID: only one invocation at a time

	// inflight holds the invocations being served, whose spans the
	// shutdown path ends if Lambda shuts the environment down first.
	inflightMu sync.Mutex
	inflight   map[*invoke]struct{}
	// shutDown is closed when the shutdown sequence has run; shutdownEnd
	// is the end of its budget, set before.
	shutDown    chan struct{}
	shutdownEnd time.Time
}

// prepare builds what the workers share once the configuration is whole:
// the flush point, the telemetry the loop records, the flush schedule.
func (r *runner) prepare() {
	cfg := r.cfg
	r.reports = newFlushReports(cfg.handleError)
	r.flush = newFlushPoint(cfg.flushers, cfg.flushBudget, cfg.flushReserve, r.reports.report)
	r.flush.count = flushCounter(cfg.metrics)
	r.setEnv = cfg.maxConcurrency == 1
	r.tel = newInstruments(cfg)
	r.schedule = &flushSchedule{s: *cfg.flushStrategy, full: r.flush.halfFull}
	r.deferred = make(chan struct{}, 1)
	r.inflight = make(map[*invoke]struct{}, cfg.maxConcurrency)
	r.shutDown = make(chan struct{})
}

// reportsEnd is how long Run may wait, as it returns, for the error
// handler to take the flush point's last reports: until the end of the
// shutdown budget after a SIGTERM, briefly otherwise. Run reads it once
// the shutdown goroutine is done.
func (r *runner) reportsEnd() time.Time {
	if !r.shutdownEnd.IsZero() {
		return r.shutdownEnd
	}
	return time.Now().Add(reportDrain)
}

// track records that inv is being served until the returned function runs.
func (r *runner) track(inv *invoke) func() {
	r.inflightMu.Lock()
	r.inflight[inv] = struct{}{}
	r.inflightMu.Unlock()
	return func() {
		r.inflightMu.Lock()
		delete(r.inflight, inv)
		r.inflightMu.Unlock()
	}
}

// interruptInFlight ends the telemetry of the invocations still being
// served.
func (r *runner) interruptInFlight() {
	r.inflightMu.Lock()
	defer r.inflightMu.Unlock()
	for inv := range r.inflight {
		r.tel.interrupt(inv)
	}
}

// shutdownPipeline releases what a pipeline that will not run holds (an
// open socket, a started listener).
func (r *runner) shutdownPipeline(ctx context.Context) {
	if p := r.cfg.pipeline; p != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), DefaultShutdownBudget)
		defer cancel()
		_ = p.Shutdown(sctx)
	}
}

// catchUp flushes the telemetry a deferring strategy left waiting once its
// period ends with no invocation to flush it. In a process Lambda does not
// freeze (one that keeps receiving events, or serves several at once),
// deferred telemetry so waits no longer than the period; in a frozen one
// the timer fires when Lambda thaws it, or the final flush on SIGTERM sends
// it first.
func (r *runner) catchUp(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.deferred:
		}
		timer.Reset(time.Until(r.schedule.periodEnd()))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		if r.schedule.catchUp(time.Now()) {
			r.flush.afterInvocation(time.Time{})
		}
	}
}

// work is one worker's loop, until stopped or fatal. Its phases:
//
//   - poll: client.next, GET /next (the process may be frozen inside);
//   - handle and post: serve (see there);
//   - flush: flush.afterInvocation, after the post and before the next poll.
func (r *runner) work(ctx context.Context) error {
	rec := r.tel.rec
	for {
		polled := time.Now()
		inv, err := r.client.next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		rec.ObservePhase(metrics.PhasePollWait, inv.arrived.Sub(polled))
		rec.ObservePhase(metrics.PhaseEventReceive, inv.received.Sub(inv.arrived))
		untrack := r.track(inv)
		deadline, fatal := r.serve(inv)
		untrack()
		// The response is delivered: flush before the next GET, where the
		// process may be frozen.
		if r.flush.active() {
			if r.schedule.due(time.Now(), inv.arrived.Sub(polled)) {
				flushed := time.Now()
				r.flush.afterInvocation(deadline)
				rec.ObservePhase(metrics.PhaseFlush, time.Since(flushed))
			} else {
				select {
				case r.deferred <- struct{}{}:
				default: // the catch-up flush already knows
				}
			}
		}
		if fatal != nil {
			return fatal
		}
	}
}

// setup runs the WithSetup hooks, reporting a failure or panic as an init
// error.
func (r *runner) setup(ctx context.Context) (err error) {
	for _, hook := range r.cfg.setup {
		if err := r.runSetupHook(ctx, hook); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) runSetupHook(ctx context.Context, hook func(context.Context) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			f := newPanicFailure(v, panicStack(2))
			f.headerType = ErrorTypeSetupPanic
			err = r.postInitFailure(f)
		}
	}()
	if hookErr := hook(ctx); hookErr != nil {
		return r.initFailed(ErrorTypeSetup, hookErr)
	}
	return nil
}

// initFailed posts err to /runtime/init/error with errorType t and returns
// the *InitError Run reports.
func (r *runner) initFailed(t string, err error) error {
	f := newFailure(err)
	f.headerType = t
	_, typed := errors.AsType[typedError](err)
	_, document := errors.AsType[ErrorDocument](err)
	if !typed && !document {
		f.doc.Type = t
	}
	return r.postInitFailure(f)
}

func (r *runner) postInitFailure(f failure) error {
	r.cfg.log().Log(context.Background(), logging.LevelFatal, "init failed", "errorType", f.headerType, "errorMessage", f.doc.Message)
	initErr := &InitError{Type: f.headerType, Err: f.cause}
	if err := r.client.postError("", &f); err != nil {
		return errors.Join(initErr, fmt.Errorf("reporting the init error: %w", err))
	}
	return initErr
}

// flushCounter counts each flusher's failures, overruns and skips in the
// metrics, if any: every one, including those of the retries the flush
// point reports only once.
func flushCounter(rec *metrics.Recorder) func(string, outcome) {
	if rec == nil {
		return nil
	}
	return func(name string, k outcome) {
		switch k {
		case outcomeSkipped:
			rec.FlushSkipped(name)
		case outcomeOverrun:
			rec.FlushOverrun(name)
		case outcomeFailed:
			rec.FlushFailed(name)
		}
	}
}
