package metrics

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// InitType is how Lambda initialised the execution environment: the value
// of AWS_LAMBDA_INITIALIZATION_TYPE, which the caller reads and passes (the
// telemetry package does): this package reads no environment variable.
type InitType string

// The initialisation types Lambda documents.
const (
	// InitOnDemand is an environment started because an invocation needed
	// one: its first invocation waited for the init, a cold start.
	InitOnDemand InitType = "on-demand"
	// InitProvisionedConcurrency is an environment initialised ahead of
	// traffic for provisioned concurrency: no invocation waited for it.
	InitProvisionedConcurrency InitType = "provisioned-concurrency"
	// InitSnapStart is an environment resumed from a SnapStart snapshot: the
	// init ran when the version was published, not in front of an
	// invocation, and the process clock cannot time it.
	InitSnapStart InitType = "snap-start"
	// InitManagedInstances is a Lambda Managed Instances environment: it is
	// initialised before Lambda routes traffic to it and then serves many
	// invocations concurrently, so no invocation waits for its init.
	InitManagedInstances InitType = "lambda-managed-instances"
)

// EnvInitType is the environment variable Lambda sets to the [InitType].
const EnvInitType = "AWS_LAMBDA_INITIALIZATION_TYPE"

// DefaultProactiveInitThreshold is the idle gap between the end of an
// on-demand init and the first invocation above which the init is
// classified as proactive rather than a cold start. An on-demand init is
// capped at 10 s and the event is waiting while it runs, so a longer gap means
// Lambda initialised the environment before any event needed it (the
// threshold Datadog uses for its proactive_initialization tag).
const DefaultProactiveInitThreshold = 10 * time.Second

// StartKind classifies an invocation by how its execution environment was
// started. The zero value is [StartWarm].
type StartKind uint8

// The StartKind values.
const (
	// StartWarm is any invocation but the first of its environment.
	StartWarm StartKind = iota
	// StartCold is the first invocation of an on-demand environment that
	// waited for the init: counted in faas_coldstarts_total, its init timed
	// in faas_init_duration_seconds, and faas.coldstart=true on its span.
	StartCold
	// StartProactive is the first invocation of an on-demand environment
	// that sat idle for more than the proactive threshold after its init:
	// Lambda initialised it ahead of demand, so the caller did not wait.
	// Counted in faas_proactive_initializations_total, not as a cold start.
	StartProactive
	// StartPreInitialized is the first invocation of an environment
	// initialised ahead of traffic by configuration (provisioned concurrency,
	// SnapStart, Lambda Managed Instances) or of an unrecognised init type.
	// Not a cold start.
	StartPreInitialized
)

var _ fmt.Stringer = StartKind(0)

// String returns "warm", "cold", "proactive" or "pre_initialized".
func (k StartKind) String() string {
	switch k {
	case StartWarm:
		return "warm"
	case StartCold:
		return "cold"
	case StartProactive:
		return "proactive"
	case StartPreInitialized:
		return "pre_initialized"
	default:
		return fmt.Sprintf("StartKind(%d)", uint8(k))
	}
}

// ClassifyStart decides how the first invocation of an environment started,
// from the init type and the idle gap between the end of the init and the
// arrival of that invocation. It is pure.
//
//   - on-demand, or empty (emulators and older environments do not set the
//     variable): [StartCold], or [StartProactive] when idleGap > threshold;
//   - provisioned-concurrency, snap-start, lambda-managed-instances, and any
//     value Lumen does not know: [StartPreInitialized]. Unknown values are
//     not counted as cold starts because every init type added since
//     on-demand has been a form of pre-initialisation.
//
// A threshold <= 0 disables proactive detection.
func ClassifyStart(initType InitType, idleGap, threshold time.Duration) StartKind {
	switch initType {
	case InitOnDemand, "":
		if threshold > 0 && idleGap > threshold {
			return StartProactive
		}
		return StartCold
	default:
		return StartPreInitialized
	}
}

// Start is what a [ColdStartDetector] knows about one invocation's start. It
// is the Start field of an [InvocationResult].
type Start struct {
	// Kind classifies the start.
	Kind StartKind
	// InitDuration is the length of the environment's init (from
	// [WithInitStart] to [ColdStartDetector.InitDone]); set on the first
	// invocation only.
	InitDuration time.Duration
	// IdleGap is the time between the end of the init and the arrival of the
	// first invocation; set on the first invocation only.
	IdleGap time.Duration
}

// ColdStart reports whether the invocation is a cold start in the
// faas.coldstart sense.
func (s Start) ColdStart() bool { return s.Kind == StartCold }

// processStart approximates the start of the init: the metrics package is
// initialised before main runs.
var processStart = time.Now()

// ColdStartDetector classifies invocations as cold, proactive,
// pre-initialised or warm. The runtime calls [ColdStartDetector.InitDone]
// just before its first GET /next and [ColdStartDetector.Start] when each
// event arrives. It is safe for concurrent use: with several workers, exactly
// one invocation is the first.
type ColdStartDetector struct {
	initType  InitType
	threshold time.Duration
	now       func() time.Time
	initStart time.Time

	initOnce sync.Once
	initEnd  time.Time // written once under initOnce
	first    atomic.Bool
}

// DetectorOption configures a [ColdStartDetector].
type DetectorOption interface {
	applyDetector(*ColdStartDetector)
}

type detectorOptionFunc func(*ColdStartDetector)

func (f detectorOptionFunc) applyDetector(d *ColdStartDetector) { f(d) }

// WithClock sets the clock the detector reads. The default is time.Now.
// Tests pass a fake clock, or run under testing/synctest.
func WithClock(now func() time.Time) DetectorOption {
	return detectorOptionFunc(func(d *ColdStartDetector) {
		if now != nil {
			d.now = now
		}
	})
}

// WithInitStart sets when the init began. The default is when the metrics
// package was initialised, shortly after the process started and before the
// user's main ran.
func WithInitStart(t time.Time) DetectorOption {
	return detectorOptionFunc(func(d *ColdStartDetector) { d.initStart = t })
}

// WithProactiveInitThreshold sets the idle gap above which an on-demand init
// counts as proactive. The default is [DefaultProactiveInitThreshold]; 0
// disables proactive detection.
func WithProactiveInitThreshold(threshold time.Duration) DetectorOption {
	return detectorOptionFunc(func(d *ColdStartDetector) { d.threshold = threshold })
}

// NewColdStartDetector returns a detector for an environment initialised as
// initType, on Lambda the value of AWS_LAMBDA_INITIALIZATION_TYPE.
func NewColdStartDetector(initType InitType, opts ...DetectorOption) *ColdStartDetector {
	d := &ColdStartDetector{
		initType:  initType,
		threshold: DefaultProactiveInitThreshold,
		now:       time.Now,
		initStart: processStart,
	}
	for _, o := range opts {
		o.applyDetector(d)
	}
	return d
}

// InitDone marks the end of the init. The runtime calls it just before its
// first GET /next; later calls are ignored.
func (d *ColdStartDetector) InitDone() {
	d.initOnce.Do(func() { d.initEnd = d.now() })
}

// Start classifies the invocation that has just arrived. The first call in
// the detector's life returns the environment's start kind with InitDuration
// and IdleGap set; every later call returns [StartWarm]. If InitDone was never
// called, the init is taken to end now (idle gap 0).
func (d *ColdStartDetector) Start() Start {
	if d.first.Load() || !d.first.CompareAndSwap(false, true) {
		return Start{Kind: StartWarm}
	}
	now := d.now()
	d.initOnce.Do(func() { d.initEnd = now })
	initDur := max(d.initEnd.Sub(d.initStart), 0)
	gap := max(now.Sub(d.initEnd), 0)
	return Start{
		Kind:         ClassifyStart(d.initType, gap, d.threshold),
		InitDuration: initDur,
		IdleGap:      gap,
	}
}
