package metrics_test

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

func TestClassifyStart(t *testing.T) {
	const threshold = metrics.DefaultProactiveInitThreshold
	tests := []struct {
		name      string
		initType  metrics.InitType
		gap       time.Duration
		threshold time.Duration
		want      metrics.StartKind
	}{
		{"on-demand, event waiting", metrics.InitOnDemand, 2 * time.Millisecond, threshold, metrics.StartCold},
		{"on-demand, gap at the threshold", metrics.InitOnDemand, threshold, threshold, metrics.StartCold},
		{"on-demand, long idle gap", metrics.InitOnDemand, threshold + time.Millisecond, threshold, metrics.StartProactive},
		{"unset (emulator), event waiting", "", 0, threshold, metrics.StartCold},
		{"unset, long idle gap", "", time.Minute, threshold, metrics.StartProactive},
		{"on-demand, detection off", metrics.InitOnDemand, time.Hour, 0, metrics.StartCold},
		{"provisioned concurrency", metrics.InitProvisionedConcurrency, 0, threshold, metrics.StartPreInitialized},
		{"provisioned concurrency, long gap", metrics.InitProvisionedConcurrency, time.Hour, threshold, metrics.StartPreInitialized},
		{"snapstart", metrics.InitSnapStart, 0, threshold, metrics.StartPreInitialized},
		{"managed instances", metrics.InitManagedInstances, 0, threshold, metrics.StartPreInitialized},
		{"unknown type", "some-future-type", 0, threshold, metrics.StartPreInitialized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, metrics.ClassifyStart(tt.initType, tt.gap, tt.threshold))
		})
	}
}

func TestColdStartDetector(t *testing.T) {
	tests := []struct {
		name     string
		initType metrics.InitType
		initTook time.Duration // from init start to InitDone
		idle     time.Duration // from InitDone to the first event
		skipDone bool          // InitDone never called
		want     metrics.StartKind
	}{
		{name: "cold start", initType: metrics.InitOnDemand, initTook: 150 * time.Millisecond, idle: 3 * time.Millisecond, want: metrics.StartCold},
		{name: "proactive init", initType: metrics.InitOnDemand, initTook: 150 * time.Millisecond, idle: 90 * time.Second, want: metrics.StartProactive},
		{name: "provisioned concurrency", initType: metrics.InitProvisionedConcurrency, initTook: time.Second, idle: 5 * time.Minute, want: metrics.StartPreInitialized},
		{name: "snapstart", initType: metrics.InitSnapStart, initTook: time.Second, idle: 0, want: metrics.StartPreInitialized},
		{name: "InitDone not called", initType: metrics.InitOnDemand, initTook: 80 * time.Millisecond, skipDone: true, want: metrics.StartCold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				d := metrics.NewColdStartDetector(tt.initType, metrics.WithInitStart(time.Now()))
				time.Sleep(tt.initTook) // fake time inside the bubble
				if !tt.skipDone {
					d.InitDone()
				}
				time.Sleep(tt.idle)
				first := d.Start()
				require.Equal(t, tt.want, first.Kind)
				wantInit, wantGap := tt.initTook, tt.idle
				if tt.skipDone {
					wantInit, wantGap = tt.initTook+tt.idle, 0
				}
				require.Equal(t, wantInit, first.InitDuration)
				require.Equal(t, wantGap, first.IdleGap)
				require.Equal(t, tt.want == metrics.StartCold, first.ColdStart())

				time.Sleep(time.Hour)
				for range 3 {
					require.Equal(t, metrics.Start{Kind: metrics.StartWarm}, d.Start())
				}
			})
		})
	}
}

func TestColdStartDetectorOptions(t *testing.T) {
	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	now := base
	clock := func() time.Time { return now }
	d := metrics.NewColdStartDetector(metrics.InitOnDemand,
		metrics.WithClock(clock), metrics.WithInitStart(base), metrics.WithProactiveInitThreshold(time.Second))
	now = base.Add(200 * time.Millisecond)
	d.InitDone()
	now = now.Add(2 * time.Second)
	d.InitDone() // later calls are ignored
	got := d.Start()
	require.Equal(t, metrics.StartProactive, got.Kind)
	require.Equal(t, 200*time.Millisecond, got.InitDuration)
	require.Equal(t, 2*time.Second, got.IdleGap)
}

func TestColdStartDetectorConcurrentSafe(t *testing.T) {
	d := metrics.NewColdStartDetector(metrics.InitOnDemand)
	d.InitDone()
	const workers = 16
	kinds := make(chan metrics.StartKind, workers*10)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range 10 {
				kinds <- d.Start().Kind
			}
		})
	}
	wg.Wait()
	close(kinds)
	counts := map[metrics.StartKind]int{}
	for k := range kinds {
		counts[k]++
	}
	require.Equal(t, map[metrics.StartKind]int{metrics.StartCold: 1, metrics.StartWarm: workers*10 - 1}, counts)
}

func TestStartKindString(t *testing.T) {
	for kind, want := range map[metrics.StartKind]string{
		metrics.StartWarm: "warm", metrics.StartCold: "cold", metrics.StartProactive: "proactive",
		metrics.StartPreInitialized: "pre_initialized", metrics.StartKind(9): "StartKind(9)",
	} {
		require.Equal(t, want, kind.String())
	}
}
