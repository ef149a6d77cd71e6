package workload_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/bench/internal/workload"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestNewEvent(t *testing.T) {
	tests := []struct {
		name string
		size int
		want int
	}{
		{name: "smallest", size: 0, want: len(`{"name":"bench"}`)},
		{name: "1 KiB", size: 1 << 10, want: 1 << 10},
		{name: "100 KiB", size: 100 << 10, want: 100 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := workload.NewEvent(tt.size)
			require.Len(t, ev, tt.want)
			resp, err := workload.Expected(ev)
			require.NoError(t, err)
			var decoded workload.Event
			require.NoError(t, json.Unmarshal(ev, &decoded))
			got, err := workload.Handle(t.Context(), decoded)
			require.NoError(t, err)
			require.Equal(t, resp, got)
			require.Equal(t, "hello, bench", got.Message)
		})
	}
}

func TestStatsEvent(t *testing.T) {
	for _, raw := range [][]byte{workload.StatsEvent, workload.StopProfileEvent} {
		var ev workload.Event
		require.NoError(t, json.Unmarshal(raw, &ev))
		before := workload.ReadStats()
		resp, err := workload.Handle(t.Context(), ev)
		require.NoError(t, err)
		require.NotNil(t, resp.Stats)
		require.Equal(t, os.Getpid(), resp.Stats.PID)
		require.GreaterOrEqual(t, resp.Stats.AllocObjects, before.AllocObjects)
		require.GreaterOrEqual(t, resp.Stats.CPUNanos(), before.CPUNanos())
		require.Positive(t, resp.Stats.MaxRSSKiB)
	}
}
