package metrics_test

import (
	"math"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

func TestNewInvalidOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  metrics.Option
	}{
		{"nil registerer", metrics.WithRegisterer(nil)},
		{"empty duration buckets", metrics.WithDurationBuckets()},
		{"decreasing duration buckets", metrics.WithDurationBuckets(1, 0.5)},
		{"infinite size bucket", metrics.WithSizeBuckets(1, math.Inf(1))},
		{"NaN size bucket", metrics.WithSizeBuckets(math.NaN())},
		{"empty error type", metrics.WithErrorTypes("")},
		{"negative max error types", metrics.WithMaxErrorTypes(-1)},
		{"trigger out of range", metrics.WithTriggers(metrics.Trigger(42))},
		{"reserved const label", metrics.WithConstLabels(prometheus.Labels{"faas_trigger": "x"})},
		{"invalid const label", metrics.WithConstLabels(prometheus.Labels{"1bad": "x"})},
		{"negative memory", metrics.WithMaxMemory(-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := metrics.New(tt.opt)
			require.ErrorIs(t, err, metrics.ErrInvalidOption)
			require.Nil(t, r)
		})
	}
}

func TestWithRegisterer(t *testing.T) {
	t.Run("registers on the user's registry, no runtime collectors", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		r, err := metrics.New(metrics.WithRegisterer(reg), metrics.WithFunctionName(""), metrics.WithMaxMemory(0))
		require.NoError(t, err)
		require.Same(t, reg, r.Gatherer())
		got := series(t, reg)
		require.Contains(t, got, `faas_invocations_total{faas_trigger="http"}`)
		require.Empty(t, seriesOf(got, "go_goroutines"))
	})
	t.Run("runtime collectors on request, existing ones kept", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		require.NoError(t, reg.Register(collectors.NewGoCollector()))
		_, err := metrics.New(metrics.WithRegisterer(reg), metrics.WithRuntimeCollectors(true),
			metrics.WithFunctionName(""), metrics.WithMaxMemory(0))
		require.NoError(t, err)
		got := series(t, reg)
		require.Contains(t, got, "go_goroutines")
		require.Contains(t, got, "process_cpu_seconds_total")
	})
	t.Run("two recorders on one registry share series", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		opts := []metrics.Option{metrics.WithRegisterer(reg), metrics.WithFunctionName(""), metrics.WithMaxMemory(0)}
		a, err := metrics.New(opts...)
		require.NoError(t, err)
		b, err := metrics.New(opts...)
		require.NoError(t, err)
		a.InvocationStarted()
		a.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP})
		b.InvocationStarted()
		b.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP})
		require.InDelta(t, 2, series(t, reg)[`faas_invocations_total{faas_trigger="http"}`], 0)
	})
	t.Run("conflicting metric is an error", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		require.NoError(t, reg.Register(prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faas_invocations_total", Help: "Someone else's.",
		})))
		_, err := metrics.New(metrics.WithRegisterer(reg), metrics.WithFunctionName(""), metrics.WithMaxMemory(0))
		require.ErrorContains(t, err, "faas_invocations_total")
	})
	t.Run("registerer that is not a gatherer", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		r, err := metrics.New(metrics.WithRegisterer(prometheus.WrapRegistererWithPrefix("", reg)),
			metrics.WithFunctionName(""), metrics.WithMaxMemory(0))
		require.NoError(t, err)
		mfs, err := r.Gatherer().Gather()
		require.NoError(t, err)
		require.Empty(t, mfs)
		require.NotEmpty(t, series(t, reg))
	})
}

func TestOwnRegistry(t *testing.T) {
	r, err := metrics.New(metrics.WithFunctionName("fn"), metrics.WithMaxMemory(0))
	require.NoError(t, err)
	got := series(t, r.Gatherer())
	require.Contains(t, got, `go_goroutines{faas_name="fn"}`)
	require.Contains(t, got, `process_cpu_seconds_total{faas_name="fn"}`)

	app := newTestCounter()
	require.NoError(t, r.Registerer().Register(app))
	app.Inc()
	require.InDelta(t, 1, series(t, r.Gatherer())["app_things_total"], 0, "app metrics share the registry, without Lumen's labels")
}

func TestFunctionNameAndMemory(t *testing.T) {
	tests := []struct {
		name       string
		opts       []metrics.Option
		wantLabel  string // faas_name value, "" for none
		wantMemory float64
	}{
		{name: "options", opts: []metrics.Option{metrics.WithFunctionName("billing"), metrics.WithMaxMemory(128 << 20)},
			wantLabel: "billing", wantMemory: 128 << 20},
		{name: "defaults: none, whatever the environment says"},
		{name: "empty name", opts: []metrics.Option{metrics.WithFunctionName("")}},
		{
			name:      "const label faas_name wins",
			opts:      []metrics.Option{metrics.WithFunctionName("orders"), metrics.WithConstLabels(prometheus.Labels{"faas_name": "explicit"})},
			wantLabel: "explicit",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Lambda's variables are set: New must not read them.
			t.Setenv(metrics.EnvFunctionName, "from-env")
			t.Setenv(metrics.EnvFunctionMemorySize, "1024")
			r, err := metrics.New(append([]metrics.Option{metrics.WithRuntimeCollectors(false)}, tt.opts...)...)
			require.NoError(t, err)
			got := series(t, r.Gatherer())
			labels := ""
			if tt.wantLabel != "" {
				labels = `{faas_name="` + tt.wantLabel + `"}`
			}
			require.Contains(t, got, "faas_inflight_invocations"+labels)
			if tt.wantMemory == 0 {
				require.Empty(t, seriesOf(got, "faas_max_memory_bytes"))
			} else {
				require.InDelta(t, tt.wantMemory, got["faas_max_memory_bytes"+labels], 0)
			}
		})
	}
}

func TestWithTriggers(t *testing.T) {
	r := newRecorder(t, metrics.WithTriggers(metrics.TriggerPubSub))
	got := series(t, r.Gatherer())
	require.Equal(t, []string{`faas_invocations_total{faas_trigger="pubsub"}`}, seriesOf(got, "faas_invocations_total"))
	r.InvocationStarted()
	r.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP})
	require.Len(t, seriesOf(series(t, r.Gatherer()), "faas_invocations_total"), 2, "other triggers still recorded")
}

func TestNativeHistograms(t *testing.T) {
	for _, native := range []bool{true, false} {
		t.Run(map[bool]string{true: "on", false: "off"}[native], func(t *testing.T) {
			r := newRecorder(t, metrics.WithNativeHistograms(native))
			r.ObservePhase(metrics.PhaseHandle, 37*1e6)
			mfs, err := r.Gatherer().Gather()
			require.NoError(t, err)
			for _, mf := range mfs {
				if mf.GetName() != "faas_phase_duration_seconds" {
					continue
				}
				for _, m := range mf.GetMetric() {
					h := m.GetHistogram()
					require.NotEmpty(t, h.GetBucket(), "classic buckets always present")
					if native {
						require.Equal(t, int32(3), h.GetSchema(), "factor 1.1 is schema 3")
					} else {
						require.Nil(t, h.Schema)
						require.Empty(t, h.GetPositiveSpan())
					}
				}
			}
		})
	}
}

func TestBuckets(t *testing.T) {
	d := metrics.DurationBuckets()
	for _, b := range metrics.SemconvDurationBuckets() {
		require.Contains(t, d, b, "every semconv bound is kept")
	}
	require.InDelta(t, 900, d[len(d)-1], 0, "up to Lambda's 15-minute timeout")
	d[0] = -1
	require.NotEqual(t, -1.0, metrics.DurationBuckets()[0], "a fresh slice each call")
	require.Contains(t, metrics.SizeBuckets(), float64(6<<20), "Lambda's 6 MiB payload limit is a bound")
}

func TestTriggers(t *testing.T) {
	for _, tr := range metrics.AllTriggers() {
		require.Equal(t, tr, metrics.ParseTrigger(tr.String()))
	}
	require.Equal(t, metrics.TriggerOther, metrics.ParseTrigger("carrier-pigeon"))
	require.Equal(t, "other", metrics.Trigger(77).String())
}
