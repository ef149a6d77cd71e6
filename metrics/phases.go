package metrics

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

const (
	namePhaseDuration = "lumen_phase_duration_seconds"
	labelPhase        = "phase"
)

// Phase is a step of the runtime's invocation loop, exposed as the phase
// label of lumen_phase_duration_seconds.
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
	// GET /next. It is observed after the invocation was recorded, so each
	// flush's duration leaves the process with the next flush.
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

// String returns the phase label value ("poll_wait", "handle", …).
func (p Phase) String() string {
	if int(p) >= numPhases {
		return fmt.Sprintf("Phase(%d)", uint8(p))
	}
	return phaseNames[p]
}

// phaseMetrics is lumen_phase_duration_seconds with its children resolved on
// each phase's first observation.
type phaseMetrics struct {
	vec     *prometheus.HistogramVec
	byPhase [numPhases]atomic.Pointer[observerRef]
}

// observerRef boxes an Observer so it fits an atomic.Pointer.
type observerRef struct{ o prometheus.Observer }

func newPhaseMetrics(cfg *config, reg *registrar) *phaseMetrics {
	return &phaseMetrics{vec: registerAs(reg, namePhaseDuration, prometheus.NewHistogramVec(
		histogramOpts(namePhaseDuration,
			"Duration of the phases of the runtime's invocation loop: poll_wait, event_receive, handle, post, flush.",
			cfg.durationBuckets, cfg.native),
		[]string{labelPhase}))}
}

func (m *phaseMetrics) observe(p Phase, d time.Duration) {
	if int(p) >= numPhases {
		return
	}
	ref := m.byPhase[p].Load()
	if ref == nil {
		ref = &observerRef{o: m.vec.WithLabelValues(phaseNames[p])}
		if !m.byPhase[p].CompareAndSwap(nil, ref) {
			ref = m.byPhase[p].Load()
		}
	}
	ref.o.Observe(max(d, 0).Seconds())
}
