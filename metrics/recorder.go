package metrics

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Recorder records what the runtime observes: the FaaS metrics, the phases
// of the invocation loop, cold starts, the health of the telemetry pipeline
// and, when the platform reports them, Lambda's own measurements. Its
// instruments are Lumen's own, with atomic storage allocated when a series
// is created: recording takes no lock and allocates nothing once the series
// exists. They are exposed through a client_golang registry
// ([Recorder.Gatherer]) for /metrics, the Pushgateway and remote write, and
// read directly, without a gather, by [Recorder.Visit] for the exporters
// that encode metrics themselves (OTLP, EMF).
//
// Its methods are safe for concurrent use. Every method of a nil *Recorder
// is a no-op, so a runtime with metrics turned off can hold one.
type Recorder struct {
	registerer *dualRegisterer
	gatherer   prometheus.Gatherer
	families   []*family      // in Visit order
	gathered   *GatherVisitor // the other collectors, on registerer.extra
	scratch    scratchPool
	faas       *faasMetrics
	errors     *errorTypes
	phases     *phaseMetrics
	health     *healthMetrics
	platform   *platformMetrics
}

// New registers Lumen's metrics and returns the Recorder that feeds them.
// It reads no environment variable: the function's name, memory size and
// prices come from options.
//
// Defaults: a new registry owned by the Recorder (see [WithRegisterer]) with
// the Go runtime and process collectors, read at most once per
// [DefaultRuntimeCollectorsMaxAge]; duration buckets [DurationBuckets]
// and size buckets [SizeBuckets], with native histograms alongside; error
// types [KnownErrorTypes] plus the first [DefaultMaxErrorTypes] others; the
// counters of every trigger created at zero; no faas_name label and no
// faas_max_memory_bytes ([WithFunctionName], [WithMaxMemory]); Lambda's
// us-east-1 prices ([WithPricePerRequest], [WithPricePerGBSecond]); gather
// errors logged through log/slog ([WithErrorHandler]).
//
// Invalid options and failed registrations are all reported, joined, in the
// returned error; invalid options wrap [ErrInvalidOption].
func New(opts ...Option) (*Recorder, error) {
	cfg := newConfig()
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if len(cfg.errs) > 0 {
		return nil, errors.Join(cfg.errs...)
	}
	cfg.resolve()

	r := &Recorder{}
	target := cfg.registerer
	runtimeCollectors := cfg.runtimeCollectors != nil && *cfg.runtimeCollectors
	if !cfg.registererSet {
		own := prometheus.NewRegistry()
		target, r.gatherer = own, own
		runtimeCollectors = cfg.runtimeCollectors == nil || *cfg.runtimeCollectors
	} else if g, ok := cfg.registerer.(prometheus.Gatherer); ok {
		r.gatherer = g
	} else {
		r.gatherer = prometheus.Gatherers{}
	}
	r.registerer = newDualRegisterer(target)

	reg := &registrar{reg: target, labels: cfg.constLabels, native: cfg.native, ids: &seriesIDs{}}
	r.faas = newFaasMetrics(&cfg, reg)
	r.errors = newErrorTypes(r.faas.errors, cfg.errorTypes, cfg.maxErrorTypes)
	r.phases = newPhaseMetrics(&cfg, reg)
	r.health = newHealthMetrics(reg)
	r.platform = newPlatformMetrics(&cfg, reg)
	registerMaxMemory(reg, cfg.maxMemory)
	if runtimeCollectors {
		registerRuntime(reg, r.registerer, cfg.runtimeMaxAge)
	}
	if len(reg.errs) > 0 {
		return nil, errors.Join(reg.errs...)
	}
	r.families = reg.families
	// Families taken over from a Recorder registered earlier bring its IDs.
	ids := reg.ids
	if len(r.families) > 0 {
		ids = r.families[0].ids
	}
	r.gathered = newGatherVisitor(r.registerer.extra, cfg.runtimeMaxAge, cfg.onError, ids)
	for _, t := range cfg.triggers {
		r.faas.preinit(t)
	}
	return r, nil
}

// Gatherer returns what the Prometheus exporters read: the Recorder's own
// registry, or the Registerer given to [WithRegisterer] when it is also a
// Gatherer (an empty Gatherer otherwise).
func (r *Recorder) Gatherer() prometheus.Gatherer {
	if r == nil {
		return prometheus.Gatherers{}
	}
	return r.gatherer
}

// Registerer returns the registry the Recorder registered on, without the
// const labels, so that an application's own metrics leave the process
// through the same exporters: registered through it, they are exposed by
// [Recorder.Gatherer] and read by [Recorder.Visit]. (With [WithRegisterer],
// metrics registered on that registry directly are gathered by the
// Prometheus exporters but not visited.)
func (r *Recorder) Registerer() prometheus.Registerer {
	if r == nil {
		return prometheus.WrapRegistererWith(nil, nil)
	}
	return r.registerer
}

// InvocationStarted records that an invocation arrived: it raises
// faas_inflight_invocations, which [Recorder.RecordInvocation] lowers. Call
// it once per invocation, when the event has been received.
func (r *Recorder) InvocationStarted() {
	if r == nil {
		return
	}
	r.faas.inflight.g.add(1)
}

// RecordInvocation records one finished invocation: it counts it in
// faas_invocations_total (all invocations, failed ones included), observes
// its duration and payload sizes, counts its error and timeout, and, for the
// first invocation of the environment, its cold start or proactive init. It
// lowers faas_inflight_invocations, so it must follow exactly one
// [Recorder.InvocationStarted]. It does not allocate once res.Trigger and
// res.ErrorType have been seen.
func (r *Recorder) RecordInvocation(res InvocationResult) {
	if r == nil {
		return
	}
	m := r.faas
	m.inflight.g.add(-1)
	t := res.Trigger.Index()
	s := m.series(t)
	s.invocations.c.inc()
	s.invokeDuration.h.observe(max(res.Duration, 0).Seconds())
	if res.RequestBytes >= 0 {
		s.requestSize.h.observe(float64(res.RequestBytes))
	}
	if res.ResponseBytes >= 0 {
		s.responseSize.h.observe(float64(res.ResponseBytes))
	}
	errorType := res.ErrorType
	if res.Timeout {
		s.timeouts.c.inc()
		if errorType == "" {
			errorType = ErrorTypeTimeout
		}
	}
	if errorType != "" {
		r.errors.series(errorType).counter(t).inc()
	}
	if res.BatchItems > 0 {
		// Only batch invocations: resolving the series here costs an
		// atomic load once created.
		name := triggerNames[t]
		m.batchItems.with(name).c.add(float64(res.BatchItems))
		if res.BatchItemFailures > 0 {
			m.batchFailures.with(name).c.add(float64(res.BatchItemFailures))
		}
	}
	switch res.Start.Kind {
	case StartCold:
		// Once per process: resolving the children here costs nothing on
		// warm invocations.
		name := triggerNames[t]
		m.coldstarts.with(name).c.inc()
		m.initDuration.with(name).h.observe(max(res.Start.InitDuration, 0).Seconds())
	case StartProactive:
		m.proactive.with(triggerNames[t]).c.inc()
	}
}

// ObservePhase records that phase p of the invocation loop took d, in
// faas_phase_duration_seconds, or faas_telemetry_flush_duration_seconds for
// [PhaseFlush]. Negative durations are recorded as 0; an unknown phase is
// ignored. It does not allocate.
func (r *Recorder) ObservePhase(p Phase, d time.Duration) {
	if r == nil {
		return
	}
	r.phases.observe(p, d)
}
