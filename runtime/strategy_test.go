package runtime_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

type countingFlusher struct{ n atomic.Int64 }

func (f *countingFlusher) ForceFlush(context.Context) error { f.n.Add(1); return nil }

func TestFlushStrategyInTheLoop(t *testing.T) {
	tests := []struct {
		name string
		opt  []runtime.Option
		env  string
		want int64
	}{
		{name: "default (adaptive): fewer invocations than a busy run flush each", want: 4},
		{name: "end from the environment", env: "end", want: 4},
		{name: "periodic option", opt: []runtime.Option{runtime.WithFlushStrategy(runtime.FlushPeriodically(time.Hour))}, want: 1},
		{name: "periodic from the environment", env: "periodic,3600000", want: 1},
		{name: "option beats environment", env: "periodic,3600000", opt: []runtime.Option{runtime.WithFlushStrategy(runtime.FlushAtEnd())}, want: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("LUMEN_FLUSH_STRATEGY", tt.env)
			}
			f := &countingFlusher{}
			h := start(t, func() error { return nil }, nil, append([]runtime.Option{runtime.WithFlusher(f)}, tt.opt...)...)
			for range 4 {
				h.invoke(t, `{}`)
				require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
			}
			require.Equal(t, tt.want, f.n.Load())
		})
	}
}

// TestDeferredTelemetryLeavesWithinThePeriod: when a busy function stops
// receiving events and is not frozen (as under the emulator, or with several
// workers), what the adaptive strategy deferred leaves at the end of its
// period, with no invocation to flush it.
func TestDeferredTelemetryLeavesWithinThePeriod(t *testing.T) {
	f := &countingFlusher{}
	h := start(t, func() error { return nil }, nil, runtime.WithFlusher(f), runtime.WithFlushStrategy(runtime.FlushAdaptive()))
	const invocations = runtime.AdaptiveBusyRun + 5
	for range invocations {
		h.invoke(t, `{}`)
	}
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	flushed := f.n.Load()
	require.Less(t, flushed, int64(invocations), "busy: some flushes deferred")
	ctx, cancel := context.WithTimeout(t.Context(), 10*runtime.AdaptivePeriod)
	defer cancel()
	for f.n.Load() == flushed {
		select {
		case <-ctx.Done():
			t.Fatalf("no flush within %v of the last invocation: %d flushes", 10*runtime.AdaptivePeriod, flushed)
		case <-time.After(10 * time.Millisecond): // polling the count, within the bound above
		}
	}
}

func TestFlushStrategyInvalidEnvironment(t *testing.T) {
	t.Setenv("LUMEN_FLUSH_STRATEGY", "sometimes")
	h := start(t, func() error { return nil }, nil)
	err := h.wait(t)
	initErr, ok := errors.AsType[*runtime.InitError](err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, runtime.ErrorTypeInvalidConfig, initErr.Type)
	require.ErrorContains(t, err, "LUMEN_FLUSH_STRATEGY")
}
