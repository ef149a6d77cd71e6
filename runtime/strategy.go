package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Adaptive strategy tuning.
const (
	// AdaptiveBusyGap is the idle gap between invocations under which the
	// adaptive strategy counts a function as busy: the next event is
	// expected before the process could be frozen for long.
	AdaptiveBusyGap = 100 * time.Millisecond
	// AdaptiveBusyRun is how many busy gaps in a row switch the adaptive
	// strategy to periodic flushing; one longer gap switches it back.
	AdaptiveBusyRun = 10
	// AdaptivePeriod is the adaptive strategy's flush period while busy.
	AdaptivePeriod = time.Second
)

// FlushStrategy decides after which invocations the flush point runs. The
// final flush on SIGTERM always runs.
type FlushStrategy struct {
	kind   strategyKind
	period time.Duration
}

type strategyKind uint8

const (
	strategyEnd strategyKind = iota
	strategyPeriodic
	strategyAdaptive
)

// FlushAtEnd flushes after every invocation: nothing waits in a frozen
// process, and every invocation pays for its flush.
func FlushAtEnd() FlushStrategy { return FlushStrategy{kind: strategyEnd} }

// FlushPeriodically flushes after an invocation when at least period has
// passed since the last flush, or when a flusher's bounded buffer (spans,
// log records, platform events) is half full, so that deferring loses
// nothing; what waits leaves at the end of the period even if no invocation
// comes (in a frozen process: when Lambda thaws it, or with the final flush
// on SIGTERM). It saves the flush's cost on busy functions.
func FlushPeriodically(period time.Duration) FlushStrategy {
	return FlushStrategy{kind: strategyPeriodic, period: period}
}

// FlushAdaptive flushes after every invocation until [AdaptiveBusyRun]
// invocations in a row arrived within [AdaptiveBusyGap] of the previous
// one's end, then every [AdaptivePeriod], or at once when a flusher's
// bounded buffer is half full, until a longer gap shows the function idling
// again. What waits leaves at the end of the period even if no invocation
// comes; in a process Lambda froze meanwhile, that is when Lambda thaws it,
// unless the final flush on SIGTERM came first: a frozen process holds at
// most one period's telemetry, and less than half of any buffer. The
// default: a function
// invoked now and then, frozen between invocations, flushes after each; a
// busy one pays for a flush once a period instead of once an invocation.
func FlushAdaptive() FlushStrategy {
	return FlushStrategy{kind: strategyAdaptive, period: AdaptivePeriod}
}

// String returns the strategy as LUMEN_FLUSH_STRATEGY spells it.
func (s FlushStrategy) String() string {
	switch s.kind {
	case strategyPeriodic:
		return "periodic," + strconv.FormatInt(s.period.Milliseconds(), 10)
	case strategyAdaptive:
		return "adaptive"
	}
	return "end"
}

var errStrategy = errors.New(`want "end", "periodic,<milliseconds>" or "adaptive"`)

// ParseFlushStrategy reads a LUMEN_FLUSH_STRATEGY value.
func ParseFlushStrategy(v string) (FlushStrategy, error) {
	name, arg, hasArg := strings.Cut(strings.ToLower(strings.TrimSpace(v)), ",")
	switch {
	case name == "end" && !hasArg:
		return FlushAtEnd(), nil
	case name == "adaptive" && !hasArg:
		return FlushAdaptive(), nil
	case name == "periodic" && hasArg:
		ms, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
		if err != nil || ms <= 0 {
			return FlushStrategy{}, fmt.Errorf("%w: period %q is not a positive number of milliseconds", errStrategy, arg)
		}
		return FlushPeriodically(time.Duration(ms) * time.Millisecond), nil
	}
	return FlushStrategy{}, errStrategy
}

// WithFlushStrategy sets when the flush point runs. Precedence: this option,
// then LUMEN_FLUSH_STRATEGY, then [FlushAdaptive].
func WithFlushStrategy(s FlushStrategy) Option {
	return func(o *options) { o.flushStrategy = &s }
}

// flushSchedule applies a strategy; it is shared by every worker.
type flushSchedule struct {
	s FlushStrategy
	// full reports whether a flusher's bounded buffer is half full; a
	// deferring strategy then flushes at once. Nil: never.
	full      func() bool
	mu        sync.Mutex
	lastFlush time.Time
	busyRun   int
	// pending is set while telemetry waits: due declined to flush, and no
	// flush ran since.
	pending bool
}

// due reports whether to flush now, after an invocation that waited gap for
// its event, and if so records the flush.
func (f *flushSchedule) due(now time.Time, gap time.Duration) bool {
	if f.s.kind == strategyEnd {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	periodic := f.s.kind == strategyPeriodic
	if f.s.kind == strategyAdaptive {
		if gap < AdaptiveBusyGap {
			f.busyRun++
		} else {
			f.busyRun = 0
		}
		periodic = f.busyRun >= AdaptiveBusyRun
	}
	if periodic && !f.lastFlush.IsZero() && now.Sub(f.lastFlush) < f.s.period && (f.full == nil || !f.full()) {
		f.pending = true
		return false
	}
	f.lastFlush, f.pending = now, false
	return true
}

// deferring reports whether the strategy ever declines to flush.
func (f *flushSchedule) deferring() bool { return f.s.kind != strategyEnd }

// periodEnd is when the telemetry waiting since the last flush is due.
func (f *flushSchedule) periodEnd() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastFlush.Add(f.s.period)
}

// catchUp reports whether telemetry has waited a whole period with no
// invocation to flush it, and if so records the flush.
func (f *flushSchedule) catchUp(now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.pending || now.Sub(f.lastFlush) < f.s.period {
		return false
	}
	f.lastFlush, f.pending = now, false
	return true
}
