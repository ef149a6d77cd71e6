package metrics

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Names of the metrics registered by faas.go. The first six are the
// OpenTelemetry FaaS metrics under their Prometheus names; the others are
// Lumen's, under the same faas_ prefix so that one selector finds them all.
const (
	nameInvokeDuration = "faas_invoke_duration_seconds"
	nameInitDuration   = "faas_init_duration_seconds"
	nameColdstarts     = "faas_coldstarts_total"
	nameErrors         = "faas_errors_total"
	nameInvocations    = "faas_invocations_total"
	nameTimeouts       = "faas_timeouts_total"
	nameProactiveInits = "faas_proactive_initializations_total"
	nameRequestSize    = "faas_request_size_bytes"
	nameResponseSize   = "faas_response_size_bytes"
	nameInflight       = "faas_inflight_invocations"
	nameMaxMemory      = "faas_max_memory_bytes"

	labelTrigger      = "faas_trigger"
	labelErrorType    = "error_type"
	labelFunctionName = "faas_name"
)

// InvocationResult is what the runtime knows about one finished invocation.
// Pass it by value to [Recorder.RecordInvocation]; nothing in it is retained.
type InvocationResult struct {
	// Trigger is the faas.trigger of the invocation.
	Trigger Trigger
	// Duration is the invoke duration: from the arrival of the event (the
	// GET /next response) to the completed POST of its response or error.
	// Negative values are recorded as 0.
	Duration time.Duration
	// ErrorType is the Lambda errorType of the error document the runtime
	// posted; empty means the invocation succeeded. Types outside the
	// allow-list are bounded as described in [WithMaxErrorTypes].
	ErrorType string
	// Timeout reports that the invocation ran out of time. A timeout is also
	// an error: with no ErrorType it is recorded as [ErrorTypeTimeout].
	Timeout bool
	// Start says how the invocation's environment started, as returned by
	// [ColdStartDetector.Start]. The zero value is a warm start.
	Start Start
	// RequestBytes is the size of the event payload; negative means unknown
	// and is not observed.
	RequestBytes int64
	// ResponseBytes is the size of the response (or error document) posted;
	// negative means unknown (e.g. a stream that broke) and is not observed.
	ResponseBytes int64
}

// faasMetrics holds the faas_* families and the per-invocation families that
// share their faas_trigger label.
type faasMetrics struct {
	invokeDuration histogramVec
	initDuration   histogramVec
	requestSize    histogramVec
	responseSize   histogramVec
	invocations    *prometheus.CounterVec
	errors         *prometheus.CounterVec
	timeouts       *prometheus.CounterVec
	coldstarts     *prometheus.CounterVec
	proactive      *prometheus.CounterVec
	inflight       prometheus.Gauge

	// byTrigger caches the children the warm path touches, resolved on a
	// trigger's first invocation so unused triggers expose no empty
	// histograms.
	byTrigger [numTriggers]atomic.Pointer[triggerSeries]
}

// triggerSeries is the pre-resolved children of one faas_trigger value.
type triggerSeries struct {
	invocations    prometheus.Counter
	timeouts       prometheus.Counter
	invokeDuration prometheus.Observer
	requestSize    prometheus.Observer
	responseSize   prometheus.Observer
}

func histogramOpts(reg *registrar, name, help string, buckets []float64, native bool) prometheus.HistogramOpts {
	o := prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets, ConstLabels: reg.labels}
	if native {
		o.NativeHistogramBucketFactor = NativeHistogramBucketFactor
		o.NativeHistogramMaxBucketNumber = NativeHistogramMaxBucketNumber
		o.NativeHistogramMinResetDuration = NativeHistogramMinResetDuration
	}
	return o
}

func newFaasMetrics(cfg *config, reg *registrar) *faasMetrics {
	trig := []string{labelTrigger}
	dur := func(name, help string) histogramVec {
		return registerAs(reg, name, newHistogramVec(histogramOpts(reg, name, help, cfg.durationBuckets, cfg.native), trig, cfg.native))
	}
	size := func(name, help string) histogramVec {
		return registerAs(reg, name, newHistogramVec(histogramOpts(reg, name, help, cfg.sizeBuckets, cfg.native), trig, cfg.native))
	}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return registerAs(reg, name, prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: reg.labels}, labels))
	}
	return &faasMetrics{
		invokeDuration: dur(nameInvokeDuration,
			"Duration of invocations, from the arrival of the event to the completed post of the response or error."),
		initDuration: dur(nameInitDuration,
			"Duration of the init of execution environments whose first invocation was a cold start."),
		requestSize: size(nameRequestSize, "Size of invocation event payloads."),
		responseSize: size(nameResponseSize,
			"Size of invocation responses and error documents posted."),
		invocations: counter(nameInvocations,
			"Invocations, successful or not (unlike OpenTelemetry's successful-only faas.invocations).", labelTrigger),
		errors: counter(nameErrors,
			"Invocations that ended in an error, timeouts included, by Lambda errorType.", labelTrigger, labelErrorType),
		timeouts:   counter(nameTimeouts, "Invocations that timed out.", labelTrigger),
		coldstarts: counter(nameColdstarts, "Cold starts: first invocations of on-demand environments that waited for the init.", labelTrigger),
		proactive: counter(nameProactiveInits,
			"First invocations of on-demand environments initialised ahead of demand (idle gap above the threshold); not cold starts.", labelTrigger),
		inflight: registerAs(reg, nameInflight, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: nameInflight, Help: "Invocations being handled by this execution environment.", ConstLabels: reg.labels,
		})),
	}
}

// registerMaxMemory registers faas_max_memory_bytes when the limit is known.
func registerMaxMemory(reg *registrar, bytes int64) {
	if bytes <= 0 {
		return
	}
	g := registerAs(reg, nameMaxMemory, prometheus.NewGauge(prometheus.GaugeOpts{
		Name: nameMaxMemory, Help: "Memory limit of the execution environment (the function's memory size).",
		ConstLabels: reg.labels,
	}))
	g.Set(float64(bytes))
}

// preinit creates the zero-valued counter series of trigger t.
func (m *faasMetrics) preinit(t Trigger) {
	name := t.String()
	m.invocations.WithLabelValues(name)
	m.timeouts.WithLabelValues(name)
	m.coldstarts.WithLabelValues(name)
}

// series returns the cached children of trigger index t.
func (m *faasMetrics) series(t int) *triggerSeries {
	if s := m.byTrigger[t].Load(); s != nil {
		return s
	}
	name := triggerNames[t]
	s := &triggerSeries{
		invocations:    m.invocations.WithLabelValues(name),
		timeouts:       m.timeouts.WithLabelValues(name),
		invokeDuration: m.invokeDuration.WithLabelValues(name),
		requestSize:    m.requestSize.WithLabelValues(name),
		responseSize:   m.responseSize.WithLabelValues(name),
	}
	// A racing caller built identical children; keep whichever won.
	if !m.byTrigger[t].CompareAndSwap(nil, s) {
		return m.byTrigger[t].Load()
	}
	return s
}
