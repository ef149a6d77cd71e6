package metrics_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/metrics"
)

// visited copies what one Visit hands out, keyed like series():
// "name{k="v",…}" with name_count and name_sum for histograms.
type visited struct {
	values map[string]float64
	byKey  map[string]metrics.Series // with copied slices
	ids    []int
}

func visit(v func(func(*metrics.Series))) visited {
	out := visited{values: map[string]float64{}, byKey: map[string]metrics.Series{}}
	v(func(s *metrics.Series) {
		m := map[string]string{}
		for _, l := range s.Labels {
			if l.Value != "" {
				m[l.Name] = l.Value
			}
		}
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			parts = append(parts, fmt.Sprintf("%s=%q", k, m[k]))
		}
		labels := ""
		if len(parts) > 0 {
			labels = "{" + strings.Join(parts, ",") + "}"
		}
		c := *s
		c.Labels, c.Bounds, c.Counts = slices.Clone(s.Labels), slices.Clone(s.Bounds), slices.Clone(s.Counts)
		out.byKey[s.Name+labels] = c
		out.ids = append(out.ids, s.ID)
		switch s.Kind {
		case metrics.KindHistogram, metrics.KindSummary:
			out.values[s.Name+"_count"+labels] = float64(s.Count)
			out.values[s.Name+"_sum"+labels] = s.Sum
		default:
			out.values[s.Name+labels] = s.Value
		}
	})
	return out
}

// Visit reads what a gather reads, without gathering: every series with
// the same labels and values, IDs dense and stable.
func TestVisitMatchesGather(t *testing.T) {
	r := newRecorder(t, metrics.WithFunctionName("orders"), metrics.WithMaxMemory(256<<20),
		metrics.WithConstLabels(prometheus.Labels{"stage": "prod"}))
	scenario(r)
	platformScenario(r)
	got := visit(r.Visit)
	require.Equal(t, series(t, r.Gatherer()), got.values)

	ids := slices.Sorted(slices.Values(got.ids))
	for i, id := range ids {
		require.Equal(t, i, id, "dense IDs")
	}
	r.InvocationStarted()
	r.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerTimer, ErrorType: "NewError"})
	again := visit(r.Visit)
	for key, s := range got.byKey {
		require.Equal(t, s.ID, again.byKey[key].ID, "stable ID of %s", key)
	}
	require.Len(t, again.ids, len(got.ids)+4, "new series (timer's duration, request and response sizes, error) get new IDs")

	// Histograms carry per-bucket counts that add up to the count.
	h := got.byKey[`faas_invoke_duration_seconds{faas_name="orders",faas_trigger="http",stage="prod"}`]
	require.Equal(t, metrics.KindHistogram, h.Kind)
	require.Len(t, h.Counts, len(h.Bounds)+1)
	var total uint64
	for _, c := range h.Counts {
		total += c
	}
	require.Equal(t, h.Count, total)
	require.Equal(t, metrics.DurationBuckets(), h.Bounds)
}

func TestVisitNames(t *testing.T) {
	r := newRecorder(t, metrics.WithFunctionName("orders"), metrics.WithConstLabels(prometheus.Labels{"stage": "prod"}))
	scenario(r)
	platformScenario(r)
	got := visit(r.Visit)
	byName := map[string]metrics.Series{}
	for _, s := range got.byKey {
		byName[s.Name] = s
	}
	for name, want := range map[string][2]string{
		"faas_invoke_duration_seconds":          {"faas.invoke_duration", "s"},
		"faas_init_duration_seconds":            {"faas.init_duration", "s"},
		"faas_coldstarts_total":                 {"faas.coldstarts", "{coldstart}"},
		"faas_errors_total":                     {"faas.errors", "{error}"},
		"faas_invocations_total":                {"faas.invocations", "{invocation}"},
		"faas_timeouts_total":                   {"faas.timeouts", "{timeout}"},
		"faas_mem_usage_bytes":                  {"faas.mem_usage", "By"},
		"faas_phase_duration_seconds":           {"lumen.phase.duration", "s"},
		"faas_telemetry_dropped_items_total":    {"lumen.telemetry.dropped_items", "{item}"},
		"faas_memory_utilization_ratio":         {"faas.memory_utilization", "1"},
		"faas_telemetry_flush_duration_seconds": {"lumen.telemetry.flush.duration", "s"},
	} {
		s, ok := byName[name]
		require.True(t, ok, name)
		require.Equal(t, want[0], s.OTelName, name)
		require.Equal(t, want[1], s.Unit, name)
		require.NotEmpty(t, s.Help, name)
		require.False(t, s.Start.IsZero(), name)
	}
	keys := map[string]string{}
	for _, s := range got.byKey {
		for _, l := range s.Labels {
			keys[l.Name] = l.Key
		}
	}
	require.Equal(t, map[string]string{
		"faas_name": "faas.name", "faas_trigger": "faas.trigger", "error_type": "error.type", "stage": "stage",
		"phase": "lumen.phase", "exporter": "lumen.exporter", "signal": "lumen.signal", "flusher": "lumen.flusher",
		"status": "faas.invocation.status", "init_type": "lumen.init_type",
	}, keys)
	errs := byName["faas_errors_total"]
	require.Equal(t, []string{"faas_name", "stage", "faas_trigger", "error_type"},
		[]string{errs.Labels[0].Name, errs.Labels[1].Name, errs.Labels[2].Name, errs.Labels[3].Name},
		"const labels first, sorted, then the metric's own in order")
}

func TestVisitDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	r := newRecorder(t)
	scenario(r)
	platformScenario(r)
	var n int
	count := func(*metrics.Series) { n++ }
	r.Visit(count)
	require.Zero(t, testing.AllocsPerRun(100, func() { r.Visit(count) }))
	require.Positive(t, n)
}

// The collectors that are not Lumen's reach Visit, gathered at most once
// per max age; with none registered nothing is gathered.
func TestVisitGathered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder(t, metrics.WithRuntimeCollectorsMaxAge(time.Second), metrics.WithFunctionName("orders"))
		app := newTestCounter()
		require.NoError(t, r.Registerer().Register(app))
		app.Inc()
		s, ok := visit(r.Visit).byKey["app_things_total"]
		require.True(t, ok, "the application's metric, without Lumen's const labels")
		require.InDelta(t, 1, s.Value, 0)
		require.Equal(t, metrics.KindCounter, s.Kind)

		app.Inc()
		require.InDelta(t, 1, visit(r.Visit).values["app_things_total"], 0, "repeated within the max age")
		require.InDelta(t, 2, visit(r.VisitFresh).values["app_things_total"], 0, "VisitFresh gathers now")
		app.Inc()
		time.Sleep(time.Second) // the bubble's fake clock
		again := visit(r.Visit)
		require.InDelta(t, 3, again.values["app_things_total"], 0, "gathered again after the max age")
		require.Equal(t, s.ID, again.byKey["app_things_total"].ID)

		require.True(t, r.Registerer().Unregister(app))
		_, ok = visit(r.VisitFresh).byKey["app_things_total"]
		require.False(t, ok, "an unregistered collector is gone")
	})
}

func TestVisitRuntimeCollectors(t *testing.T) {
	r, err := metrics.New(metrics.WithFunctionName("orders"))
	require.NoError(t, err)
	got := visit(r.Visit)
	g, ok := got.byKey[`go_goroutines{faas_name="orders"}`]
	require.True(t, ok)
	require.Equal(t, metrics.KindGauge, g.Kind)
	require.Equal(t, "faas.name", g.Labels[0].Key)
	require.Positive(t, g.Value)
	p, ok := got.byKey[`process_cpu_seconds_total{faas_name="orders"}`]
	require.True(t, ok)
	require.Equal(t, "s", p.Unit)
}

func BenchmarkVisit(b *testing.B) {
	for _, native := range []bool{false, true} {
		b.Run(map[bool]string{false: "classic", true: "native"}[native], func(b *testing.B) {
			r, err := metrics.New(metrics.WithFunctionName("bench"), metrics.WithRuntimeCollectors(false),
				metrics.WithNativeHistograms(native))
			require.NoError(b, err)
			for _, res := range warmResults {
				r.InvocationStarted()
				r.RecordInvocation(res)
			}
			var n int
			count := func(*metrics.Series) { n++ }
			b.ReportAllocs()
			for b.Loop() {
				r.Visit(count)
			}
		})
	}
}
