package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

// Sample is one measured run of one variant: n sequential invocations of
// one event, bracketed by two stats events.
type Sample struct {
	Variant     Variant
	EventBytes  int
	Invocations int
	// Wall is the time from the first measured invoke to the last answer.
	Wall time.Duration
	// Latencies are the invokes' round trips as the driver saw them: event
	// handed over, handled, response posted.
	Latencies []time.Duration
	// Before and After are the function's counters around the run.
	Before, After workload.Stats
	// Sink is what the function exported during the run.
	Sink SinkCounts
	// EmulatorCPU is the emulator's own CPU time during the run (RIE only).
	EmulatorCPU time.Duration
	// Delivery is what the process's telemetry delivered (fake Runtime
	// API runs of variants that export, only).
	Delivery *Delivery
}

// NsPerInvocation is wall time per invocation.
func (s Sample) NsPerInvocation() float64 {
	return perInv(float64(s.Wall.Nanoseconds()), s.Invocations)
}

// CPUPerInvocation is the function process's CPU time (user+system, all
// threads) per invocation, in ns.
func (s Sample) CPUPerInvocation() float64 {
	return perInv(float64(s.After.CPUNanos()-s.Before.CPUNanos()), s.Invocations)
}

// AllocsPerInvocation is heap allocations per invocation.
func (s Sample) AllocsPerInvocation() float64 {
	return perInv(float64(s.After.AllocObjects-s.Before.AllocObjects), s.Invocations)
}

// BytesPerInvocation is heap bytes allocated per invocation.
func (s Sample) BytesPerInvocation() float64 {
	return perInv(float64(s.After.AllocBytes-s.Before.AllocBytes), s.Invocations)
}

// SyscallsPerInvocation are the read and write system calls per
// invocation (UDP sends aside).
func (s Sample) SyscallsPerInvocation() (reads, writes float64) {
	return perInv(float64(s.After.Reads-s.Before.Reads), s.Invocations),
		perInv(float64(s.After.Writes-s.Before.Writes), s.Invocations)
}

// SwitchesPerInvocation are the voluntary context switches per invocation.
func (s Sample) SwitchesPerInvocation() float64 {
	return perInv(float64(s.After.Switches-s.Before.Switches), s.Invocations)
}

// EmulatorCPUPerInvocation is the emulator's CPU per invocation, in ns.
func (s Sample) EmulatorCPUPerInvocation() float64 {
	return perInv(float64(s.EmulatorCPU.Nanoseconds()), s.Invocations)
}

// InvocationsPerSecond is the sequential throughput.
func (s Sample) InvocationsPerSecond() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return float64(s.Invocations) / s.Wall.Seconds()
}

func perInv(total float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return total / float64(n)
}

// Percentile returns the q-quantile (0..1) of ds, nearest rank.
func Percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// invoker sends one event to a function and returns its response.
type invoker interface {
	invoke(ctx context.Context, event []byte) ([]byte, error)
}

// Plan is what one measured run does.
type Plan struct {
	// Event is the event sent n times.
	Event []byte
	// Warm invocations run before the measured ones, unmeasured.
	Warm, N int
	// Profile ends the run with the stop-profile event.
	Profile bool
	// CheckAll checks every response; otherwise only the first warm-up
	// answer and the last measured one are checked.
	CheckAll bool
}

// measure runs p through inv. The sink's counts are taken between the two
// stats events.
func measure(ctx context.Context, inv invoker, v Variant, p Plan, sink *Sink) (Sample, error) {
	s := Sample{Variant: v, EventBytes: len(p.Event), Invocations: p.N, Latencies: make([]time.Duration, p.N)}
	for i := range max(p.Warm, 1) {
		body, err := inv.invoke(ctx, p.Event)
		if err != nil {
			return s, fmt.Errorf("warm-up invocation %d: %w", i, err)
		}
		if i == 0 || p.CheckAll {
			if err := CheckResponse(v, p.Event, body); err != nil {
				return s, err
			}
		}
	}
	var err error
	if s.Before, err = readStats(ctx, inv, workload.StatsEvent); err != nil {
		return s, err
	}
	var exports SinkCounts
	if sink != nil {
		exports = sink.Counts()
	}
	start := time.Now()
	for i := range p.N {
		t := time.Now()
		body, err := inv.invoke(ctx, p.Event)
		s.Latencies[i] = time.Since(t)
		if err != nil {
			return s, fmt.Errorf("invocation %d: %w", i, err)
		}
		if i == p.N-1 || p.CheckAll {
			if err := CheckResponse(v, p.Event, body); err != nil {
				return s, fmt.Errorf("invocation %d: %w", i, err)
			}
		}
	}
	s.Wall = time.Since(start)
	end := workload.StatsEvent
	if p.Profile {
		end = workload.StopProfileEvent
	}
	if s.After, err = readStats(ctx, inv, end); err != nil {
		return s, err
	}
	if sink != nil {
		s.Sink = sink.Counts().Sub(exports)
	}
	return s, nil
}

// readStats sends a stats event and decodes the counters in the answer.
func readStats(ctx context.Context, inv invoker, event []byte) (workload.Stats, error) {
	body, err := inv.invoke(ctx, event)
	if err != nil {
		return workload.Stats{}, fmt.Errorf("stats event: %w", err)
	}
	var r workload.Response
	if err := json.Unmarshal(body, &r); err != nil || r.Stats == nil {
		return workload.Stats{}, fmt.Errorf("stats event: unexpected answer %.200q (%v)", body, err)
	}
	return *r.Stats, nil
}

// CheckResponse checks that body is v's correct answer to event.
func CheckResponse(v Variant, event, body []byte) error {
	var got workload.Response
	if err := json.Unmarshal(body, &got); err != nil {
		return fmt.Errorf("%s: response %.200q is not JSON: %w", v.Name, body, err)
	}
	want := workload.Response{Message: "floor", Bytes: len(event)}
	if !v.Floor {
		var err error
		if want, err = workload.Expected(event); err != nil {
			return fmt.Errorf("%s: event: %w", v.Name, err)
		}
	}
	if got != want {
		return fmt.Errorf("%s: response %+v, want %+v", v.Name, got, want)
	}
	return nil
}
