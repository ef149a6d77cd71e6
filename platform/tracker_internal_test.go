package platform

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

func sc(b byte) trace.SpanContext {
	return trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{b}, SpanID: trace.SpanID{b}})
}

// The tracker keeps the last invocations, counts those still waiting for
// their report, and forgets the oldest, waiting or not.
func TestTrackerRing(t *testing.T) {
	tr := newTracker(2)
	tr.started("a", invocation.TriggerHTTP, sc(1))
	tr.started("b", invocation.TriggerPubSub, sc(2))
	require.Equal(t, 2, tr.unreported)
	tr.arrived("a")
	tr.arrived("a")
	tr.arrived("unknown")
	require.Equal(t, 1, tr.unreported)

	tr.started("c", invocation.TriggerTimer, sc(3)) // forgets a, reported
	require.Equal(t, 2, tr.unreported)
	_, _, ok := tr.lookup("a")
	require.False(t, ok)
	trig, got, ok := tr.lookup("b")
	require.True(t, ok)
	require.Equal(t, invocation.TriggerPubSub, trig)
	require.Equal(t, sc(2), got)

	tr.started("d", invocation.TriggerOther, sc(4)) // forgets b, not reported
	require.Equal(t, 2, tr.unreported)
	tr.started("d", invocation.TriggerHTTP, sc(5)) // the same request again
	require.Equal(t, 2, tr.unreported)
	tr.arrived("d")
	tr.started("d", invocation.TriggerHTTP, sc(6)) // again, after its report
	require.Equal(t, 2, tr.unreported)
	_, got, _ = tr.lookup("d")
	require.Equal(t, sc(6), got)

	first, ok := tr.firstInvocation()
	require.True(t, ok)
	require.Equal(t, sc(1), first, "the process's first invocation, long forgotten by the ring")
	require.Len(t, tr.index, 2)
}

// A runtimeDone is held for its invocation's report, once.
func TestTrackerHold(t *testing.T) {
	tr := newTracker(4)
	require.False(t, tr.hold(&RuntimeDone{RequestID: "x"}))
	tr.started("x", invocation.TriggerHTTP, sc(1))
	rd := &RuntimeDone{RequestID: "x"}
	require.True(t, tr.hold(rd))
	require.Same(t, rd, tr.take("x"))
	require.Nil(t, tr.take("x"))
	require.True(t, tr.hold(rd))
	left := tr.leftovers()
	require.Equal(t, []heldDone{{rd: rd, sc: sc(1)}}, left)
	require.Empty(t, tr.leftovers())
}

// waitReported returns when the last report arrives, or with its
// context's cause.
func TestTrackerWaitReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := newTracker(4)
		require.NoError(t, tr.waitReported(t.Context()), "nothing to wait for")
		tr.started("a", invocation.TriggerOther, sc(1))
		tr.started("b", invocation.TriggerOther, sc(2))
		done := make(chan error)
		go func() { done <- tr.waitReported(context.Background()) }()
		tr.arrived("a")
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("returned with b's report missing")
		default:
		}
		tr.arrived("b")
		require.NoError(t, <-done)

		tr.started("c", invocation.TriggerOther, sc(3))
		ctx, cancel := context.WithCancelCause(t.Context())
		go func() { done <- tr.waitReported(ctx) }()
		synctest.Wait()
		cancel(errTest)
		require.ErrorIs(t, <-done, errTest)
	})
}

var errTest = errorString("test cause")

type errorString string

func (e errorString) Error() string { return string(e) }

// truncate keeps reports first, then init and restore reports,
// runtimeDones, logs.
func TestBatchTruncate(t *testing.T) {
	full := func() Batch {
		return Batch{
			Reports: make([]Report, 2), InitReports: make([]InitReport, 1), RestoreReports: make([]RestoreReport, 1),
			RuntimeDones: make([]RuntimeDone, 2), Logs: make([]Log, 3),
		}
	}
	tests := []struct {
		room              int
		kept              [5]int
		lostPlat, lostLog int
	}{
		{room: 100, kept: [5]int{2, 1, 1, 2, 3}},
		{room: 6, kept: [5]int{2, 1, 1, 2, 0}, lostLog: 3},
		{room: 3, kept: [5]int{2, 1, 0, 0, 0}, lostPlat: 3, lostLog: 3},
		{room: 0, lostPlat: 6, lostLog: 3},
		{room: -5, lostPlat: 6, lostLog: 3},
	}
	for _, tt := range tests {
		b := full()
		lost := b.truncate(tt.room)
		require.Equal(t, tt.kept, [5]int{len(b.Reports), len(b.InitReports), len(b.RestoreReports), len(b.RuntimeDones), len(b.Logs)}, "room %d", tt.room)
		require.Equal(t, lostEvents{platform: tt.lostPlat, logs: tt.lostLog}, lost, "room %d", tt.room)
	}
}

// What a flush had no time for goes back to the front of the queue.
func TestQueuePutBack(t *testing.T) {
	q := queue{size: 10}
	q.push(Batch{Reports: []Report{{RequestID: "1"}}})
	q.push(Batch{Reports: []Report{{RequestID: "2"}}})
	taken := q.take()
	q.push(Batch{Reports: []Report{{RequestID: "3"}}})
	q.putBack(taken[1:])
	var ids []string
	for _, b := range q.take() {
		ids = append(ids, b.Reports[0].RequestID)
	}
	require.Equal(t, []string{"2", "3"}, ids)
	require.Zero(t, q.n)
}
