package metrics

import (
	"fmt"
	"time"
)

const (
	namePhaseDuration = "faas_phase_duration_seconds"
	nameFlushDuration = "faas_telemetry_flush_duration_seconds"
)

// Phase is a step of the runtime's invocation loop. The first four are the
// phase label values of faas_phase_duration_seconds; [PhaseFlush] has its own
// histogram, faas_telemetry_flush_duration_seconds, because it is telemetry
// overhead rather than part of serving the invocation.
type Phase uint8

// The phases of one turn of the loop, in order.
const (
	// PhasePollWait is the GET /next wait: idle time between invocations,
	// freeze included.
	PhasePollWait Phase = iota
	// PhaseEventReceive is reading the event and building the invocation
	// from its headers.
	PhaseEventReceive
	// PhaseHandle is the user's handler.
	PhaseHandle
	// PhasePost is the POST of the response or error.
	PhasePost
	// PhaseFlush is the telemetry flush after the post, before the next
	// GET /next. It is observed after the flush it times, so each flush's
	// duration leaves the process with the next flush.
	PhaseFlush

	numPhases = int(PhaseFlush) + 1
)

var phaseNames = [numPhases]string{
	PhasePollWait:     "poll_wait",
	PhaseEventReceive: "event_receive",
	PhaseHandle:       "handle",
	PhasePost:         "post",
	PhaseFlush:        "flush",
}

var _ fmt.Stringer = Phase(0)

// String returns the phase's name ("poll_wait", "handle", …).
func (p Phase) String() string {
	if int(p) >= numPhases {
		return fmt.Sprintf("Phase(%d)", uint8(p))
	}
	return phaseNames[p]
}

// phaseMetrics holds one series per phase, so that observing is an array
// index and a histogram update.
type phaseMetrics struct {
	byPhase [numPhases]*series
}

func newPhaseMetrics(cfg *config, reg *registrar) *phaseMetrics {
	vec := reg.family(metricDef{name: namePhaseDuration, otelName: "lumen.phase.duration", unit: unitSeconds,
		help: "Duration of the phases of the runtime's invocation loop: poll_wait, event_receive, handle, post.",
		kind: KindHistogram, labels: []string{labelPhase}, bounds: cfg.durationBuckets})
	flush := reg.family(metricDef{name: nameFlushDuration, otelName: "lumen.telemetry.flush.duration", unit: unitSeconds,
		help: "Duration of the telemetry flush after each invocation's response, before the next GET /next.",
		kind: KindHistogram, bounds: cfg.durationBuckets})
	m := &phaseMetrics{}
	for p := range Phase(PhaseFlush) {
		m.byPhase[p] = vec.with(phaseNames[p])
	}
	m.byPhase[PhaseFlush] = flush.with()
	return m
}

func (m *phaseMetrics) observe(p Phase, d time.Duration) {
	if int(p) >= numPhases {
		return
	}
	m.byPhase[p].h.observe(max(d, 0).Seconds())
}
