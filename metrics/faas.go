package metrics

import (
	"sync/atomic"
	"time"
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
	nameBatchItems     = "faas_batch_items_total"
	nameBatchFailures  = "faas_batch_item_failures_total"
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
	// BatchItems is the number of records of an event source mapping's
	// batch (SQS, Kinesis, DynamoDB Streams); 0 for other invocations,
	// which records nothing.
	BatchItems int
	// BatchItemFailures is how many of them the handler's partial batch
	// response reported failed; negative when the invocation failed as a
	// whole (the whole batch is retried), which records no item failure.
	BatchItemFailures int
}

// faasMetrics holds the faas_* families and the per-invocation series that
// share their faas_trigger label.
type faasMetrics struct {
	invokeDuration *family
	initDuration   *family
	requestSize    *family
	responseSize   *family
	invocations    *family
	errors         *family
	timeouts       *family
	coldstarts     *family
	proactive      *family
	batchItems     *family
	batchFailures  *family
	inflight       *series

	// byTrigger caches the series the warm path touches, created on a
	// trigger's first invocation so unused triggers expose no empty
	// histograms.
	byTrigger [numTriggers]atomic.Pointer[triggerSeries]
}

// triggerSeries is the series of one faas_trigger value.
type triggerSeries struct {
	invocations    *series
	timeouts       *series
	invokeDuration *series
	requestSize    *series
	responseSize   *series
}

func newFaasMetrics(cfg *config, reg *registrar) *faasMetrics {
	trig := []string{labelTrigger}
	hist := func(name, otelName, unit, help string, bounds []float64) *family {
		return reg.family(metricDef{name: name, otelName: otelName, unit: unit, help: help,
			kind: KindHistogram, labels: trig, bounds: bounds})
	}
	counter := func(name, otelName, unit, help string, labels ...string) *family {
		return reg.family(metricDef{name: name, otelName: otelName, unit: unit, help: help,
			kind: KindCounter, labels: labels})
	}
	m := &faasMetrics{
		invokeDuration: hist(nameInvokeDuration, "faas.invoke_duration", unitSeconds,
			"Duration of invocations, from the arrival of the event to the completed post of the response or error.",
			cfg.durationBuckets),
		initDuration: hist(nameInitDuration, "faas.init_duration", unitSeconds,
			"Duration of the init of execution environments whose first invocation was a cold start.",
			cfg.durationBuckets),
		requestSize: hist(nameRequestSize, "faas.request_size", unitBytes,
			"Size of invocation event payloads.", cfg.sizeBuckets),
		responseSize: hist(nameResponseSize, "faas.response_size", unitBytes,
			"Size of invocation responses and error documents posted.", cfg.sizeBuckets),
		invocations: counter(nameInvocations, "faas.invocations", unitInvocations,
			"Invocations, successful or not (unlike OpenTelemetry's successful-only faas.invocations).", labelTrigger),
		errors: counter(nameErrors, "faas.errors", "{error}",
			"Invocations that ended in an error, timeouts included, by Lambda errorType.", labelTrigger, labelErrorType),
		timeouts: counter(nameTimeouts, "faas.timeouts", "{timeout}", "Invocations that timed out.", labelTrigger),
		coldstarts: counter(nameColdstarts, "faas.coldstarts", "{coldstart}",
			"Cold starts: first invocations of on-demand environments that waited for the init.", labelTrigger),
		proactive: counter(nameProactiveInits, "faas.proactive_initializations", "{initialization}",
			"First invocations of on-demand environments initialised ahead of demand (idle gap above the threshold); not cold starts.",
			labelTrigger),
		batchItems: counter(nameBatchItems, "faas.batch.items", "{item}",
			"Records of the batches of SQS, Kinesis and DynamoDB Streams event source mappings that invocations handled.", labelTrigger),
		batchFailures: counter(nameBatchFailures, "faas.batch.item_failures", "{item}",
			"Records of those batches that partial batch responses (batchItemFailures) reported failed, for the event source to retry.",
			labelTrigger),
	}
	m.inflight = reg.family(metricDef{name: nameInflight, otelName: "faas.inflight_invocations", unit: unitInvocations,
		help: "Invocations being handled by this execution environment.", kind: KindGauge}).with()
	return m
}

// registerMaxMemory registers faas_max_memory_bytes when the limit is known.
func registerMaxMemory(reg *registrar, bytes int64) {
	if bytes <= 0 {
		return
	}
	reg.family(metricDef{name: nameMaxMemory, otelName: "faas.max_memory", unit: unitBytes,
		help: "Memory limit of the execution environment (the function's memory size).", kind: KindGauge,
	}).with().g.set(float64(bytes))
}

// preinit creates the zero-valued counter series of trigger t.
func (m *faasMetrics) preinit(t Trigger) {
	name := t.String()
	m.invocations.with(name)
	m.timeouts.with(name)
	m.coldstarts.with(name)
}

// series returns the series of trigger index t.
func (m *faasMetrics) series(t int) *triggerSeries {
	if s := m.byTrigger[t].Load(); s != nil {
		return s
	}
	name := triggerNames[t]
	s := &triggerSeries{
		invocations:    m.invocations.with(name),
		timeouts:       m.timeouts.with(name),
		invokeDuration: m.invokeDuration.with(name),
		requestSize:    m.requestSize.with(name),
		responseSize:   m.responseSize.with(name),
	}
	// A racing caller found the same series; keep whichever won.
	if !m.byTrigger[t].CompareAndSwap(nil, s) {
		return m.byTrigger[t].Load()
	}
	return s
}
