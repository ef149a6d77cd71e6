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
		{name: "end (default)", want: 4},
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

func TestFlushStrategyInvalidEnvironment(t *testing.T) {
	t.Setenv("LUMEN_FLUSH_STRATEGY", "sometimes")
	h := start(t, func() error { return nil }, nil)
	err := h.wait(t)
	initErr, ok := errors.AsType[*runtime.InitError](err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, runtime.ErrorTypeInvalidConfig, initErr.Type)
	require.ErrorContains(t, err, "LUMEN_FLUSH_STRATEGY")
}
