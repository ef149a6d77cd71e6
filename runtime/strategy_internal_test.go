package runtime

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseFlushStrategy(t *testing.T) {
	tests := []struct {
		in      string
		want    FlushStrategy
		wantErr bool
	}{
		{in: "end", want: FlushAtEnd()},
		{in: " Adaptive ", want: FlushAdaptive()},
		{in: "periodic,250", want: FlushPeriodically(250 * time.Millisecond)},
		{in: "periodic", wantErr: true},
		{in: "periodic,0", wantErr: true},
		{in: "periodic,-5", wantErr: true},
		{in: "periodic,1s", wantErr: true},
		{in: "end,5", wantErr: true},
		{in: "sometimes", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFlushStrategy(tt.in)
			if tt.wantErr {
				require.ErrorIs(t, err, errStrategy)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			back, err := ParseFlushStrategy(got.String())
			require.NoError(t, err)
			require.Equal(t, got, back, "String round-trips")
		})
	}
}

func TestFlushScheduleDue(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	type step struct {
		at   time.Duration // since t0
		gap  time.Duration // the invocation's wait for its event
		full bool          // a flusher's buffer is half full
		want bool
	}
	busy := func(from time.Duration, n int, want ...bool) []step {
		out := make([]step, n)
		for i := range out {
			out[i] = step{at: from + time.Duration(i)*10*time.Millisecond, gap: time.Millisecond, want: want[min(i, len(want)-1)]}
		}
		return out
	}
	tests := []struct {
		name  string
		s     FlushStrategy
		steps []step
	}{
		{name: "end flushes every time", s: FlushAtEnd(), steps: busy(0, 5, true)},
		{name: "periodic flushes once a period", s: FlushPeriodically(time.Second), steps: []step{
			{at: 0, want: true}, {at: 300 * time.Millisecond}, {at: 999 * time.Millisecond},
			{at: time.Second, want: true}, {at: 1500 * time.Millisecond}, {at: 5 * time.Second, want: true},
		}},
		{name: "adaptive flushes every invocation until busy, then periodically", s: FlushAdaptive(),
			steps: append(append(
				// The first AdaptiveBusyRun-1 busy invocations still flush each time.
				busy(0, AdaptiveBusyRun-1, true),
				// Busy from the tenth on: the last flush was 10 ms ago.
				busy(time.Duration(AdaptiveBusyRun-1)*10*time.Millisecond, 3, false)...),
				// A period later it flushes again; an idle gap returns to flushing every time.
				step{at: 1090 * time.Millisecond, gap: time.Millisecond, want: true},
				step{at: 1100 * time.Millisecond, gap: time.Millisecond, want: false},
				step{at: 1110 * time.Millisecond, gap: time.Second, want: true},
				step{at: 1120 * time.Millisecond, gap: time.Millisecond, want: true},
			)},
		{name: "periodic flushes at once when a buffer is half full", s: FlushPeriodically(time.Second), steps: []step{
			{at: 0, want: true}, {at: 300 * time.Millisecond}, {at: 400 * time.Millisecond, full: true, want: true},
			{at: 500 * time.Millisecond}, {at: 1300 * time.Millisecond}, {at: 1400 * time.Millisecond, want: true},
		}},
		{name: "adaptive flushes at once when a buffer is half full", s: FlushAdaptive(),
			steps: append(busy(0, AdaptiveBusyRun+2, true, true, true, true, true, true, true, true, true, false, false, false),
				step{at: 120 * time.Millisecond, gap: time.Millisecond, full: true, want: true},
				step{at: 130 * time.Millisecond, gap: time.Millisecond, want: false},
			)},
		{name: "end ignores the buffers", s: FlushAtEnd(), steps: []step{{at: 0, full: true, want: true}, {at: 10 * time.Millisecond, want: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var full bool
			f := &flushSchedule{s: tt.s, full: func() bool { return full }}
			for i, st := range tt.steps {
				full = st.full
				require.Equal(t, st.want, f.due(t0.Add(st.at), st.gap), "step %d at %v", i, st.at)
			}
		})
	}
}

type uncomparableFlusher struct{ _ []int } // a slice field: not comparable

func (uncomparableFlusher) ForceFlush(context.Context) error { return nil }

func TestUniqueFlushers(t *testing.T) {
	b := &countingTarget{}
	u := uncomparableFlusher{}
	got := uniqueFlushers([]Flusher{b, nil, b, u, u})
	require.Len(t, got, 3, "nil and repeats of b are dropped; uncomparable values are kept, without a panic: %v", got)
	require.Same(t, b, got[0])
}

type countingTarget struct{ n int }

func (c *countingTarget) ForceFlush(context.Context) error { c.n++; return nil }

// TestFlushScheduleCatchUp: telemetry left waiting by a deferred flush is
// due at the end of the period, once, and only if no flush ran since.
func TestFlushScheduleCatchUp(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	f := &flushSchedule{s: FlushPeriodically(time.Second)}
	require.True(t, f.deferring())
	require.False(t, (&flushSchedule{s: FlushAtEnd()}).deferring())

	require.True(t, f.due(at(0), 0))
	require.False(t, f.catchUp(at(2*time.Second)), "nothing waits")
	require.False(t, f.due(at(100*time.Millisecond), 0))
	require.Equal(t, at(time.Second), f.periodEnd())
	require.False(t, f.catchUp(at(900*time.Millisecond)), "within the period")
	require.True(t, f.catchUp(at(time.Second)), "the period ended")
	require.False(t, f.catchUp(at(3*time.Second)), "flushed already")
	require.Equal(t, at(2*time.Second), f.periodEnd())

	require.False(t, f.due(at(1500*time.Millisecond), 0))
	require.True(t, f.due(at(2*time.Second), 0), "an invocation at the period's end flushes")
	require.False(t, f.catchUp(at(5*time.Second)), "nothing waits since")
}
