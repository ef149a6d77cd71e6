package metrics

import (
	"errors"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Recorder records what the runtime observes into Prometheus metrics: the
// FaaS metrics, the phases of the invocation loop, cold starts, and the
// health of the telemetry pipeline. Its methods are safe for concurrent use,
// and the per-invocation ones ([Recorder.InvocationStarted],
// [Recorder.RecordInvocation], [Recorder.ObservePhase]) do not allocate once
// each trigger has been seen. Every method of a nil *Recorder is a no-op, so
// a runtime with metrics turned off can hold one.
type Recorder struct {
	registerer prometheus.Registerer
	gatherer   prometheus.Gatherer
	faas       *faasMetrics
	errors     *errorTypes
	phases     *phaseMetrics
	health     *healthMetrics
}

// New registers Lumen's collectors and returns the Recorder that feeds them.
//
// Defaults: a new registry owned by the Recorder (see [WithRegisterer]) with
// the Go runtime and process collectors, read at most once per
// [DefaultRuntimeCollectorsMaxAge]; duration buckets [DurationBuckets]
// and size buckets [SizeBuckets], with native histograms alongside; error
// types [KnownErrorTypes] plus the first [DefaultMaxErrorTypes] others; the
// counters of every trigger created at zero; the faas_name label from
// AWS_LAMBDA_FUNCTION_NAME and faas_max_memory_bytes from
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE when Lambda sets them. Options override
// the environment.
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
	cfg.resolveEnv(os.Getenv)

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
	r.registerer = target

	reg := &registrar{reg: target, labels: cfg.constLabels}
	r.faas = newFaasMetrics(&cfg, reg)
	r.errors = newErrorTypes(r.faas.errors, cfg.errorTypes, cfg.maxErrorTypes)
	r.phases = newPhaseMetrics(&cfg, reg)
	r.health = newHealthMetrics(reg)
	registerMaxMemory(reg, *cfg.maxMemory)
	if runtimeCollectors {
		registerRuntime(reg, cfg.runtimeMaxAge)
	}
	if len(reg.errs) > 0 {
		return nil, errors.Join(reg.errs...)
	}
	for _, t := range cfg.triggers {
		r.faas.preinit(t)
	}
	return r, nil
}

// Gatherer returns what exporters read: the Recorder's own registry, or the
// Registerer given to [WithRegisterer] when it is also a Gatherer (an empty
// Gatherer otherwise).
func (r *Recorder) Gatherer() prometheus.Gatherer {
	if r == nil {
		return prometheus.Gatherers{}
	}
	return r.gatherer
}

// Registerer returns the registry the Recorder registered on, without the
// const labels, so that an application's own metrics leave the process
// through the same exporters.
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
	r.faas.inflight.Inc()
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
	m.inflight.Dec()
	t := res.Trigger.Index()
	s := m.series(t)
	s.invocations.Inc()
	s.invokeDuration.Observe(max(res.Duration, 0).Seconds())
	if res.RequestBytes >= 0 {
		s.requestSize.Observe(float64(res.RequestBytes))
	}
	if res.ResponseBytes >= 0 {
		s.responseSize.Observe(float64(res.ResponseBytes))
	}
	errorType := res.ErrorType
	if res.Timeout {
		s.timeouts.Inc()
		if errorType == "" {
			errorType = ErrorTypeTimeout
		}
	}
	if errorType != "" {
		r.errors.series(errorType).counter(t).Inc()
	}
	switch res.Start.Kind {
	case StartCold:
		// Once per process: resolving the children here costs nothing on
		// warm invocations.
		name := triggerNames[t]
		m.coldstarts.WithLabelValues(name).Inc()
		m.initDuration.WithLabelValues(name).Observe(max(res.Start.InitDuration, 0).Seconds())
	case StartProactive:
		m.proactive.WithLabelValues(triggerNames[t]).Inc()
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
