package metricse2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/promtest"
)

// remoteWriteJob is the job label of the remote-written series. It differs
// from the Pushgateway job (the function name) so that Prometheus keeps the
// two paths apart: with one job, both would write the same series.
const remoteWriteJob = functionName + "-rw"

// deliveryWait bounds each wait for data to reach Prometheus.
const deliveryWait = 30 * time.Second

// TestPrometheusCounts: two execution environments of one function run a
// known mix of successes, typed errors, unmarshal errors and an oversized
// response at the same time, each pushing to a real Pushgateway (scraped by
// a real Prometheus) and writing to that Prometheus's remote write receiver.
// Prometheus's query API then returns exactly the counts the mix implies,
// per environment (instance label) and per path, with every series present
// once. Stopping one environment (SIGTERM, since Lumen registers its
// extension) deletes its Pushgateway group and ends its remote-written
// series, and leaves the other environment's data alone.
func TestPrometheusCounts(t *testing.T) {
	testfunc(t) // skips under -short before anything starts
	stack := promtest.Start(t)
	exporterEnv := []string{
		"LUMEN_METRICS_EXPORTER=pushgateway,remotewrite",
		"LUMEN_PUSHGATEWAY_URL=" + stack.PushgatewayURL,
		"LUMEN_REMOTE_WRITE_URL=" + stack.RemoteWriteURL,
		"LUMEN_REMOTE_WRITE_JOB=" + remoteWriteJob,
		// Exact counts need every flush delivered, whatever the load.
		"LUMEN_FLUSH_BUDGET=10s",
	}
	envs := []*environment{
		startEnvironment(t, instanceID('a'), exporterEnv...),
		startEnvironment(t, instanceID('b'), exporterEnv...),
	}
	mixes := twoMixes
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	require.NoError(t, runAll(ctx, envs, mixes))

	paths := []struct{ name, job string }{
		{"pushgateway", functionName},
		{"remote write", remoteWriteJob},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			// Every environment's last flush has arrived once its
			// invocation count reaches the mix's; each flush carries the
			// whole registry, so everything else is final too.
			for i, e := range envs {
				ready := fmt.Sprintf(`sum(faas_invocations_total{job=%q, instance=%q}) >= %d`, p.job, e.instance, mixes[i].invocations())
				wctx, wcancel := context.WithTimeout(t.Context(), deliveryWait)
				_, err := stack.Query(wctx, ready)
				wcancel()
				require.NoError(t, err)
			}
			checkCounts(t, stack, p.job, envs, mixes)
		})
	}

	groups, err := stack.Groups(t.Context())
	require.NoError(t, err)
	require.ElementsMatch(t, []map[string]string{
		{"job": functionName, "instance": envs[0].instance},
		{"job": functionName, "instance": envs[1].instance},
	}, groups, "one Pushgateway group per environment")

	t.Run("shutdown", func(t *testing.T) {
		gone, kept := envs[0], envs[1]
		gone.em.Stop()
		require.Regexp(t, `Internal agent lumen \([0-9a-f-]+\) registered`, gone.em.Output(),
			"without the extension the emulator kills the runtime with SIGKILL")

		wctx, wcancel := context.WithTimeout(t.Context(), deliveryWait)
		defer wcancel()
		require.NoError(t, stack.WaitGroups(wctx, []map[string]string{{"job": functionName, "instance": kept.instance}}),
			"the stopped environment's group is deleted, the other one kept")
		// Staleness markers end the remote-written series at once,
		// instead of after the five minute lookback.
		_, err := stack.Query(wctx, fmt.Sprintf(`absent(faas_invocations_total{job=%q, instance=%q})`, remoteWriteJob, gone.instance))
		require.NoError(t, err)
		left, err := stack.Value(wctx, fmt.Sprintf(`sum(faas_invocations_total{job=%q, instance=%q})`, remoteWriteJob, kept.instance))
		require.NoError(t, err)
		require.Equal(t, float64(mixes[1].invocations()), left)
	})
}

// checkCounts asserts the exact values Prometheus holds for job.
func checkCounts(t *testing.T, stack *promtest.Stack, job string, envs []*environment, mixes []mix) {
	t.Helper()
	sel := fmt.Sprintf(`job=%q`, job)
	wantBy := func(f func(i int, m mix) map[string]float64) map[string]float64 {
		out := map[string]float64{}
		for i, e := range envs {
			for k, v := range f(i, mixes[i]) {
				out[e.instance+"/"+k] = v
			}
		}
		return out
	}
	perEnv := func(f func(m mix) float64) map[string]float64 {
		return wantBy(func(_ int, m mix) map[string]float64 { return map[string]float64{"": f(m)} })
	}
	n := func(m mix) float64 { return float64(m.invocations()) }
	one := func(mix) float64 { return 1 }
	zero := func(mix) float64 { return 0 }

	phases := func(_ int, m mix) map[string]float64 {
		out := map[string]float64{}
		for _, ph := range []string{"poll_wait", "event_receive", "handle", "post"} {
			out[ph] = n(m)
		}
		return out
	}
	tests := []struct {
		name  string
		query string // a sum by (instance, <by>)
		by    string
		want  map[string]float64
	}{
		{name: "invocations by trigger", by: "faas_trigger",
			query: `sum by (instance, faas_trigger) (faas_invocations_total{%s}) > 0`,
			want:  wantBy(func(_ int, m mix) map[string]float64 { return m.byTrigger() })},
		{name: "errors by type", by: "error_type",
			query: `sum by (instance, error_type) (faas_errors_total{%s})`,
			want:  wantBy(func(_ int, m mix) map[string]float64 { return m.errorsByType() })},
		{name: "cold starts, once per environment",
			query: `sum by (instance) (faas_coldstarts_total{%s})`, want: perEnv(one)},
		{name: "init duration observed with the cold start",
			query: `sum by (instance) (faas_init_duration_seconds_count{%s})`, want: perEnv(one)},
		{name: "invoke duration count",
			query: `sum by (instance) (faas_invoke_duration_seconds_count{%s})`, want: perEnv(n)},
		{name: "invoke duration +Inf bucket",
			query: `sum by (instance) (faas_invoke_duration_seconds_bucket{%s, le="+Inf"})`, want: perEnv(n)},
		{name: "request size count",
			query: `sum by (instance) (faas_request_size_bytes_count{%s})`, want: perEnv(n)},
		{name: "phase counts", by: "phase",
			query: `sum by (instance, phase) (faas_phase_duration_seconds_count{%s})`, want: wantBy(phases)},
		// The last flush's snapshot is taken before that flush is
		// observed: it holds the flushes of the invocations before it.
		{name: "flush duration count",
			query: `sum by (instance) (faas_telemetry_flush_duration_seconds_count{%s})`,
			want:  perEnv(func(m mix) float64 { return n(m) - 1 })},
		{name: "timeouts", query: `sum by (instance) (faas_timeouts_total{%s})`, want: perEnv(zero)},
		{name: "nothing in flight at a flush", query: `sum by (instance) (faas_inflight_invocations{%s})`, want: perEnv(zero)},
		{name: "nothing lost",
			query: `sum by (instance) ({__name__=~"faas_telemetry_(dropped_items|export_errors|flush_overruns|flush_failures|flush_skipped)_total", %s}) or sum by (instance) (faas_inflight_invocations{%s}) * 0`,
			want:  perEnv(zero)},
		{name: "each series once: one invocation series per environment and trigger",
			query: `count by (instance, faas_trigger) (faas_invocations_total{%s})`, by: "faas_trigger",
			want: wantBy(func(int, mix) map[string]float64 {
				return map[string]float64{"datasource": 1, "http": 1, "other": 1, "pubsub": 1, "timer": 1}
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := strings.ReplaceAll(tt.query, "%s", sel)
			res, err := stack.Query(t.Context(), q)
			require.NoError(t, err)
			got := map[string]float64{}
			for _, s := range res {
				key := s.Metric["instance"] + "/" + s.Metric[tt.by]
				_, dup := got[key]
				require.False(t, dup, "%s: %s twice", q, key)
				got[key] = s.Value
			}
			require.Equal(t, tt.want, got, q)
		})
	}

	t.Run("labels", func(t *testing.T) {
		// A raw selector returns every stored series: exactly one per
		// environment, with the target labels as the exporters set them
		// and nothing renamed to exported_*.
		res, err := stack.Query(t.Context(), fmt.Sprintf(`faas_coldstarts_total{%s, faas_trigger="other"}`, sel))
		require.NoError(t, err)
		var got []map[string]string
		for _, s := range res {
			got = append(got, s.Metric)
		}
		want := make([]map[string]string, 0, len(envs))
		for _, e := range envs {
			want = append(want, map[string]string{
				"__name__": "faas_coldstarts_total", "job": job, "instance": e.instance,
				"faas_name": functionName, "faas_trigger": "other",
			})
		}
		require.ElementsMatch(t, want, got)
	})

	t.Run("totals", func(t *testing.T) {
		var total float64
		for _, m := range mixes {
			total += n(m)
		}
		got, err := stack.Value(t.Context(), fmt.Sprintf(`sum(faas_invocations_total{%s})`, sel))
		require.NoError(t, err)
		require.Equal(t, total, got)
		got, err = stack.Value(t.Context(), fmt.Sprintf(`sum(faas_coldstarts_total{%s})`, sel))
		require.NoError(t, err)
		require.Equal(t, float64(len(envs)), got)
	})
}
