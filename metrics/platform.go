package metrics

import (
	"sync/atomic"
	"time"
)

// Platform metrics: what Lambda itself measures and reports through the
// Telemetry API (platform.report, platform.initReport,
// platform.restoreReport, platform.runtimeDone), recorded next to what the
// runtime measures. Their families are registered by New, but a series is
// created only when the first report of it arrives: a function without the
// Telemetry API exposes none of them.
const (
	nameMemUsage         = "faas_mem_usage_bytes"
	nameMemUtilization   = "faas_memory_utilization_ratio"
	nameBilledDuration   = "faas_billed_duration_seconds"
	namePlatformDuration = "faas_platform_duration_seconds"
	namePlatformInit     = "faas_platform_init_duration_seconds"
	nameRestoreDuration  = "faas_restore_duration_seconds"
	nameResponseLatency  = "faas_response_latency_seconds"
	nameResponseDuration = "faas_response_duration_seconds"
	nameProducedBytes    = "faas_produced_bytes"
	nameInvocationStatus = "faas_invocation_status_total"
	nameBilledGBSeconds  = "faas_billed_gb_seconds_total"
	nameEstimatedCost    = "faas_estimated_cost_usd_total"
)

// The status values of platform reports, the status label of
// faas_invocation_status_total. Any other status is recorded as "other".
const (
	StatusSuccess = "success"
	StatusError   = "error"
	StatusFailure = "failure"
	StatusTimeout = "timeout"
)

// PlatformReport is Lambda's platform.report of one invocation. Pass it by
// value to [Recorder.RecordPlatformReport]; nothing in it is retained.
type PlatformReport struct {
	// Trigger is the faas.trigger of the invocation the report describes.
	Trigger Trigger
	// Status is the report's status: [StatusSuccess], [StatusError],
	// [StatusFailure] or [StatusTimeout]. Empty is success, or error when
	// ErrorType is set.
	Status string
	// ErrorType is the report's errorType, such as Runtime.OutOfMemory;
	// empty for a success. It is bounded like [InvocationResult.ErrorType].
	ErrorType string
	// Duration is Lambda's measured invoke duration (durationMs).
	Duration time.Duration
	// BilledDuration is the billed duration (billedDurationMs); 0 or less
	// is unknown (Lambda Managed Instances bill instances, not
	// invocations): nothing billed is recorded, estimated cost included.
	BilledDuration time.Duration
	// MaxMemoryUsedBytes is maxMemoryUsedMB × 1,048,576; 0 or less is
	// unknown and not observed.
	MaxMemoryUsedBytes int64
	// MemoryLimitBytes is memorySizeMB × 1,048,576; 0 or less takes the
	// memory given to [WithMaxMemory].
	MemoryLimitBytes int64
	// InitDuration is the report's initDurationMs, set for the first
	// invocation of an environment; 0 when absent. See
	// [Recorder.RecordPlatformInit] for how it is observed.
	InitDuration time.Duration
	// InitType labels InitDuration (see [PlatformInitReport]).
	InitType InitType
	// RestoreDuration is the report's restoreDurationMs (SnapStart); 0
	// when absent.
	RestoreDuration time.Duration
}

// PlatformInitReport is Lambda's platform.initReport.
type PlatformInitReport struct {
	// InitType is the initializationType; empty is on-demand.
	InitType InitType
	// Duration is the init's durationMs.
	Duration time.Duration
}

// PlatformRuntimeDone is Lambda's platform.runtimeDone of one invocation:
// how long the runtime took to deliver the response, as Lambda saw it.
// Negative values are unknown (their span or metric was absent) and not
// observed.
type PlatformRuntimeDone struct {
	// Trigger is the faas.trigger of the invocation.
	Trigger Trigger
	// ResponseLatency is the responseLatency span: from the invocation to
	// the first byte of the response.
	ResponseLatency time.Duration
	// ResponseDuration is the responseDuration span: sending the response.
	ResponseDuration time.Duration
	// ProducedBytes is metrics.producedBytes: the response's size.
	ProducedBytes int64
}

// byTrigger is one family's series per faas_trigger, created on first use.
type byTrigger struct {
	f *family
	s [numTriggers]atomic.Pointer[series]
}

func (b *byTrigger) get(t int) *series {
	if s := b.s[t].Load(); s != nil {
		return s
	}
	s := b.f.with(triggerNames[t])
	b.s[t].CompareAndSwap(nil, s)
	return s
}

// platformMetrics holds the platform families.
type platformMetrics struct {
	memUsage, memUtilization, billed, duration   byTrigger
	responseLatency, responseDuration, produced  byTrigger
	billedGBSeconds, cost                        byTrigger
	status, initDuration, restore                *family
	initSeen, restoreSeen                        atomic.Bool
	pricePerRequest, pricePerGBSecond, maxMemory float64
}

func newPlatformMetrics(cfg *config, reg *registrar) *platformMetrics {
	trig := []string{labelTrigger}
	def := func(kind Kind, name, otelName, unit, help string, bounds []float64) byTrigger {
		return byTrigger{f: reg.family(metricDef{name: name, otelName: otelName, unit: unit, help: help,
			kind: kind, labels: trig, bounds: bounds})}
	}
	m := &platformMetrics{
		memUsage: def(KindHistogram, nameMemUsage, "faas.mem_usage", unitBytes,
			"Maximum memory used by invocations, as Lambda reports it.", MemoryBuckets()),
		memUtilization: def(KindHistogram, nameMemUtilization, "faas.memory_utilization", unitRatio,
			"Maximum memory used by invocations as a share of the function's memory size.", RatioBuckets()),
		billed: def(KindHistogram, nameBilledDuration, "faas.billed_duration", unitSeconds,
			"Billed duration of invocations, as Lambda reports it.", cfg.durationBuckets),
		duration: def(KindHistogram, namePlatformDuration, "faas.platform_duration", unitSeconds,
			"Duration of invocations as Lambda measures it.", cfg.durationBuckets),
		responseLatency: def(KindHistogram, nameResponseLatency, "faas.response_latency", unitSeconds,
			"Time from the invocation to the first byte of the runtime's response, as Lambda measures it.",
			cfg.durationBuckets),
		responseDuration: def(KindHistogram, nameResponseDuration, "faas.response_duration", unitSeconds,
			"Time the runtime took to send its response, as Lambda measures it.", cfg.durationBuckets),
		produced: def(KindHistogram, nameProducedBytes, "faas.produced_size", unitBytes,
			"Size of the responses the runtime produced, as Lambda measures it.", cfg.sizeBuckets),
		billedGBSeconds: def(KindCounter, nameBilledGBSeconds, "faas.billed_usage", "GiBy.s",
			"Billed compute: billed duration times memory size, in GB-seconds (1 GB = 1024 MB, as Lambda bills).", nil),
		cost: def(KindCounter, nameEstimatedCost, "faas.estimated_cost", "{USD}",
			"Estimated cost of invocations: requests times the price per request plus billed GB-seconds times the price per GB-second.",
			nil),
		status: reg.family(metricDef{name: nameInvocationStatus, otelName: "faas.invocation_status",
			unit: unitInvocations, help: "Invocations by the status and error type of Lambda's report.",
			kind: KindCounter, labels: []string{labelTrigger, labelStatus, labelErrorType}}),
		initDuration: reg.family(metricDef{name: namePlatformInit, otelName: "faas.platform_init_duration",
			unit: unitSeconds, help: "Duration of the init of the execution environment, as Lambda reports it.",
			kind: KindHistogram, labels: []string{labelInitType}, bounds: cfg.durationBuckets}),
		restore: reg.family(metricDef{name: nameRestoreDuration, otelName: "faas.restore_duration",
			unit: unitSeconds, help: "Duration of the restore of a SnapStart snapshot, as Lambda reports it.",
			kind: KindHistogram, bounds: cfg.durationBuckets}),
		pricePerRequest:  cfg.pricePerRequest,
		pricePerGBSecond: cfg.pricePerGBSecond,
		maxMemory:        float64(cfg.maxMemory),
	}
	return m
}

// RecordPlatformReport records Lambda's report of one invocation: its
// memory use (faas_mem_usage_bytes, faas_memory_utilization_ratio), billed
// and measured durations, status (faas_invocation_status_total), billed
// GB-seconds and estimated cost, and the init or restore duration it
// carries. A value Lambda did not send (zero, as on Lambda Managed
// Instances, which send only the duration) is not recorded. It does not
// allocate once the series of its trigger, status and error type exist.
func (r *Recorder) RecordPlatformReport(rep PlatformReport) {
	if r == nil {
		return
	}
	m := r.platform
	t := rep.Trigger.Index()
	m.duration.get(t).h.observe(max(rep.Duration, 0).Seconds())
	limit := float64(rep.MemoryLimitBytes)
	if limit <= 0 {
		limit = m.maxMemory
	}
	if rep.MaxMemoryUsedBytes > 0 {
		m.memUsage.get(t).h.observe(float64(rep.MaxMemoryUsedBytes))
		if limit > 0 {
			m.memUtilization.get(t).h.observe(float64(rep.MaxMemoryUsedBytes) / limit)
		}
	}
	if rep.BilledDuration > 0 {
		m.billed.get(t).h.observe(rep.BilledDuration.Seconds())
		cost := m.pricePerRequest
		if limit > 0 {
			gbs := limit / (1 << 30) * rep.BilledDuration.Seconds()
			m.billedGBSeconds.get(t).c.add(gbs)
			cost += gbs * m.pricePerGBSecond
		}
		m.cost.get(t).c.add(cost)
	}

	status, errorType := statusLabel(rep.Status, rep.ErrorType), ""
	if rep.ErrorType != "" {
		errorType = r.errors.series(rep.ErrorType).label
	}
	m.status.with(triggerNames[t], status, errorType).c.inc()

	if rep.InitDuration > 0 {
		r.RecordPlatformInit(PlatformInitReport{InitType: rep.InitType, Duration: rep.InitDuration})
	}
	if rep.RestoreDuration > 0 && m.restoreSeen.CompareAndSwap(false, true) {
		m.restore.with().h.observe(rep.RestoreDuration.Seconds())
	}
}

// RecordPlatformInit records Lambda's init report in
// faas_platform_init_duration_seconds{init_type}. An environment has one
// init: the first of this report and of a [PlatformReport] carrying
// InitDuration is observed, later ones are ignored.
func (r *Recorder) RecordPlatformInit(rep PlatformInitReport) {
	if r == nil || !r.platform.initSeen.CompareAndSwap(false, true) {
		return
	}
	r.platform.initDuration.with(initTypeLabel(rep.InitType)).h.observe(max(rep.Duration, 0).Seconds())
}

// RecordPlatformRestore records the duration of a SnapStart restore
// (platform.restoreReport) in faas_restore_duration_seconds. Like the
// init, a restore is observed once: the first of this call and of a
// [PlatformReport] carrying RestoreDuration.
func (r *Recorder) RecordPlatformRestore(d time.Duration) {
	if r == nil || !r.platform.restoreSeen.CompareAndSwap(false, true) {
		return
	}
	r.platform.restore.with().h.observe(max(d, 0).Seconds())
}

// RecordPlatformRuntimeDone records Lambda's runtimeDone of one invocation
// in faas_response_latency_seconds, faas_response_duration_seconds and
// faas_produced_bytes.
func (r *Recorder) RecordPlatformRuntimeDone(rd PlatformRuntimeDone) {
	if r == nil {
		return
	}
	m := r.platform
	t := rd.Trigger.Index()
	if rd.ResponseLatency >= 0 {
		m.responseLatency.get(t).h.observe(rd.ResponseLatency.Seconds())
	}
	if rd.ResponseDuration >= 0 {
		m.responseDuration.get(t).h.observe(rd.ResponseDuration.Seconds())
	}
	if rd.ProducedBytes >= 0 {
		m.produced.get(t).h.observe(float64(rd.ProducedBytes))
	}
}

// statusLabel bounds the status label to the four statuses and "other".
func statusLabel(status, errorType string) string {
	switch status {
	case StatusSuccess, StatusError, StatusFailure, StatusTimeout:
		return status
	case "":
		if errorType != "" {
			return StatusError
		}
		return StatusSuccess
	}
	return ErrorTypeOther
}

// initTypeLabel bounds the init_type label to the documented types.
func initTypeLabel(t InitType) string {
	switch t {
	case InitOnDemand, InitProvisionedConcurrency, InitSnapStart, InitManagedInstances:
		return string(t)
	case "":
		return string(InitOnDemand)
	}
	return ErrorTypeOther
}
