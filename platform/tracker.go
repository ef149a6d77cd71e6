package platform

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// tracked is what is known of one recent invocation.
type tracked struct {
	requestID string
	trigger   invocation.Trigger
	sc        trace.SpanContext
	// reported is set when its platform.report arrived.
	reported bool
	// done is its platform.runtimeDone, consumed and waiting for the
	// report to make one span of both.
	done *RuntimeDone
}

// tracker remembers the most recent invocations, a fixed number of them,
// so that the reports arriving later find their trigger and span context.
type tracker struct {
	mu    sync.Mutex
	ring  []tracked
	next  int
	index map[string]int
	// unreported counts the invocations in ring still waiting for their
	// report.
	unreported int
	// first is the span context of the process's first invocation: the
	// init and restore reports go in its trace.
	first    trace.SpanContext
	hasFirst bool
	// arrivals is signalled when a report arrives.
	arrivals chan struct{}
}

func newTracker(size int) *tracker {
	return &tracker{ring: make([]tracked, size), index: make(map[string]int, size), arrivals: make(chan struct{}, 1)}
}

// started records an invocation, forgetting the oldest one when full. The
// same request id again (a retried event) replaces the earlier record.
func (t *tracker) started(requestID string, trigger invocation.Trigger, sc trace.SpanContext) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.hasFirst {
		t.first, t.hasFirst = sc, true
	}
	slot, again := t.index[requestID]
	if !again {
		slot = t.next
		t.next = (t.next + 1) % len(t.ring)
		if old := &t.ring[slot]; old.requestID != "" {
			delete(t.index, old.requestID)
			if !old.reported {
				t.unreported--
			}
		}
		t.index[requestID] = slot
	} else if !t.ring[slot].reported {
		t.unreported--
	}
	t.ring[slot] = tracked{requestID: requestID, trigger: trigger, sc: sc}
	t.unreported++
}

// arrived marks the report of requestID as delivered.
func (t *tracker) arrived(requestID string) {
	t.mu.Lock()
	slot, ok := t.index[requestID]
	if ok && !t.ring[slot].reported {
		t.ring[slot].reported = true
		t.unreported--
	}
	t.mu.Unlock()
	if ok {
		select {
		case t.arrivals <- struct{}{}:
		default:
		}
	}
}

// lookup returns the trigger and span context of requestID.
func (t *tracker) lookup(requestID string) (trigger invocation.Trigger, sc trace.SpanContext, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	slot, ok := t.index[requestID]
	if !ok {
		return invocation.TriggerOther, trace.SpanContext{}, false
	}
	return t.ring[slot].trigger, t.ring[slot].sc, true
}

// firstInvocation returns the span context of the process's first
// invocation, once there was one.
func (t *tracker) firstInvocation() (trace.SpanContext, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.first, t.hasFirst
}

// hold keeps rd for its report; false when its invocation is not tracked.
func (t *tracker) hold(rd *RuntimeDone) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	slot, ok := t.index[rd.RequestID]
	if ok {
		t.ring[slot].done = rd
	}
	return ok
}

// take returns and forgets the runtimeDone held for requestID.
func (t *tracker) take(requestID string) *RuntimeDone {
	t.mu.Lock()
	defer t.mu.Unlock()
	slot, ok := t.index[requestID]
	if !ok {
		return nil
	}
	rd := t.ring[slot].done
	t.ring[slot].done = nil
	return rd
}

// leftovers returns and forgets every runtimeDone still held, with its
// invocation's span context.
func (t *tracker) leftovers() (out []heldDone) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.ring {
		if rd := t.ring[i].done; rd != nil {
			out = append(out, heldDone{rd: rd, sc: t.ring[i].sc})
			t.ring[i].done = nil
		}
	}
	return out
}

type heldDone struct {
	rd *RuntimeDone
	sc trace.SpanContext
}

// waitReported returns once every tracked invocation's report arrived, or
// with ctx's error.
func (t *tracker) waitReported(ctx context.Context) error {
	for {
		t.mu.Lock()
		waiting := t.unreported
		t.mu.Unlock()
		if waiting == 0 {
			return nil
		}
		select {
		case <-t.arrivals:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}
