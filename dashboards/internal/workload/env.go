package workload

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"time"

	"github.com/lumen-rt/lumen/metrics"
)

// Flusher is what the flush point calls; the exporters implement it.
type Flusher interface {
	ForceFlush(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

// flusher is one exporter at the flush point.
type flusher struct {
	name     string // flusher label
	exporter string // exporter label
	f        Flusher
	// real marks the exporter whose failure fails the round.
	real bool
}

// deliveryBudget bounds the real exporters' flushes and shutdowns: they
// carry the data the dashboards are checked on, so only a broken backend,
// not a busy machine, may make them miss it.
const deliveryBudget = 30 * time.Second

// env is one execution environment: its Recorder, cold-start detector and
// exporters.
type env struct {
	fn, instance string
	rec          *metrics.Recorder
	detector     *metrics.ColdStartDetector
	flushers     []flusher
	budget       time.Duration
	rng          *rand.Rand
	triggers     []metrics.Trigger
	errorTypes   []string
}

func newEnv(cfg Config, fn, instance string, pushed bool, dead, hung string, rng *rand.Rand) (*env, error) {
	rec, err := metrics.New(metrics.WithFunctionName(fn), metrics.WithMaxMemory(256<<20),
		metrics.WithErrorTypes("ValidationError", "ThumbnailError"))
	if err != nil {
		return nil, err
	}
	fl, err := exporters(cfg, fn, instance, pushed, dead, hung, rec)
	if err != nil {
		return nil, err
	}
	e := &env{fn: fn, instance: instance, rec: rec, flushers: fl, budget: cfg.FlushBudget, rng: rng,
		detector: metrics.NewColdStartDetector(metrics.InitOnDemand)}
	if pushed {
		e.triggers = []metrics.Trigger{metrics.TriggerHTTP, metrics.TriggerHTTP, metrics.TriggerPubSub}
		e.errorTypes = []string{"ValidationError", "Runtime.MarshalError"}
	} else {
		e.triggers = []metrics.Trigger{metrics.TriggerDatasource, metrics.TriggerDatasource, metrics.TriggerTimer}
		e.errorTypes = []string{"ThumbnailError", "errorString"}
	}
	// The init ends here, just before the first GET /next; the detector
	// measures it from the start of the process.
	e.detector.InitDone()
	return e, nil
}

// duration draws a log-normal invoke duration around median.
func (e *env) duration(median time.Duration) time.Duration {
	return time.Duration(float64(median) * math.Exp(0.6*e.rng.NormFloat64()))
}

// round records this round's invocations and flushes.
func (e *env) round(ctx context.Context, n int) error {
	// One invocation stays in flight across the flush, as with
	// AWS_LAMBDA_MAX_CONCURRENCY > 1.
	e.rec.InvocationStarted()
	for i := range 6 + e.rng.IntN(5) {
		res := metrics.InvocationResult{
			Trigger:       e.triggers[i%len(e.triggers)],
			Duration:      e.duration(60 * time.Millisecond),
			Start:         e.detector.Start(),
			RequestBytes:  int64(200 + e.rng.IntN(4000)),
			ResponseBytes: int64(50 + e.rng.IntN(1000)),
		}
		switch {
		case i == 0 && n%4 == 0:
			res.Timeout, res.Duration = true, 3*time.Second
		case i == 1:
			res.ErrorType = e.errorTypes[0]
		case i == 2 && n%2 == 0:
			res.ErrorType = e.errorTypes[1]
		}
		e.invoke(res)
	}
	err := e.flush(ctx)
	e.rec.RecordInvocation(metrics.InvocationResult{Trigger: e.triggers[0], Duration: e.duration(400 * time.Millisecond)})
	return err
}

// invoke records one invocation with its loop phases.
func (e *env) invoke(res metrics.InvocationResult) {
	e.rec.ObservePhase(metrics.PhasePollWait, e.duration(20*time.Millisecond))
	e.rec.InvocationStarted()
	e.rec.ObservePhase(metrics.PhaseEventReceive, e.duration(150*time.Microsecond))
	e.rec.ObservePhase(metrics.PhaseHandle, res.Duration)
	e.rec.ObservePhase(metrics.PhasePost, e.duration(800*time.Microsecond))
	e.rec.RecordInvocation(res)
}

// flush is the flush point: every flusher under one budget, outcomes
// counted in the Recorder, the duration observed as the flush phase. Only a
// failure of the real exporter is returned.
func (e *env) flush(ctx context.Context) error {
	start := time.Now()
	var errs []error
	for _, f := range e.flushers {
		fctx, cancel := context.WithTimeout(ctx, e.budgetOf(f))
		err := f.f.ForceFlush(fctx)
		overrun := fctx.Err() != nil && ctx.Err() == nil
		cancel()
		switch {
		case err == nil:
		case overrun:
			e.rec.FlushOverrun(f.name)
			e.rec.ExportFailed(f.exporter, "metrics")
		default:
			e.rec.FlushFailed(f.name)
			e.rec.ExportFailed(f.exporter, "metrics")
		}
		if err != nil && f.real {
			errs = append(errs, err)
		}
	}
	e.rec.ObservePhase(metrics.PhaseFlush, time.Since(start))
	return errors.Join(errs...)
}

// shutdown shuts every exporter down.
func (e *env) shutdown(ctx context.Context) error {
	var errs []error
	for _, f := range e.flushers {
		sctx, cancel := context.WithTimeout(ctx, e.budgetOf(f))
		err := f.f.Shutdown(sctx)
		cancel()
		if f.real {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// budgetOf is the time a flusher gets at the flush point and at shutdown.
func (e *env) budgetOf(f flusher) time.Duration {
	if f.real {
		return deliveryBudget
	}
	return e.budget
}
