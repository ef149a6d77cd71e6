package pushgateway_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/pushgateway"
	"github.com/lumen-rt/lumen/internal/promtest"
)

// environment is one emulated execution environment: its own registry and
// exporter, as each Lambda sandbox has.
type environment struct {
	reg *exportertest.Registry
	exp *pushgateway.Exporter
}

// newEnvironment builds an exporter the way a function does, from Lambda's
// and Lumen's environment variables.
func newEnvironment(t *testing.T, gatewayURL, function, stream string) *environment {
	lambdaEnv(t, map[string]string{
		"LUMEN_PUSHGATEWAY_URL":      gatewayURL,
		"AWS_LAMBDA_FUNCTION_NAME":   function,
		"AWS_LAMBDA_LOG_STREAM_NAME": stream,
	})
	reg := exportertest.NewRegistry()
	exp, err := pushgateway.New(reg)
	require.NoError(t, err)
	return &environment{reg: reg, exp: exp}
}

// waitFresh polls until Prometheus has scraped a push of job/instance made
// at or after since: from then on the group's metrics are the pushed ones.
func waitFresh(ctx context.Context, t *testing.T, s *promtest.Stack, job, instance string, since time.Time) {
	t.Helper()
	q := fmt.Sprintf(`push_time_seconds{job=%q,instance=%q} >= %.6f`, job, instance, float64(since.UnixMicro())/1e6)
	_, err := s.Query(ctx, q)
	require.NoError(t, err)
}

func TestPushgatewayEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus and the Pushgateway")
	}
	s := promtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	const fn = "orders"
	a := newEnvironment(t, s.PushgatewayURL, fn, "2026/11/29/[$LATEST]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	b := newEnvironment(t, s.PushgatewayURL, fn, "2026/11/29/[$LATEST]bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
	require.Equal(t, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", a.exp.Instance())

	// Both environments serve invocations and flush after each batch, at the
	// same time, as concurrent sandboxes do.
	batches := []struct{ a, b int }{{5, 3}, {7, 11}, {1, 6}}
	var wg sync.WaitGroup
	var flushErrs sync.Map
	var lastFlush [2]time.Time // when each environment began its final flush
	for n, env := range []struct {
		e    *environment
		pick func(struct{ a, b int }) int
	}{{a, func(x struct{ a, b int }) int { return x.a }}, {b, func(x struct{ a, b int }) int { return x.b }}} {
		wg.Go(func() {
			for i, batch := range batches {
				env.e.reg.Invoke(env.pick(batch), 4)
				lastFlush[n] = time.Now()
				if err := env.e.exp.ForceFlush(ctx); err != nil {
					flushErrs.Store(fmt.Sprint(env.e.exp.Instance(), i), err)
				}
			}
		})
	}
	wg.Wait()
	flushErrs.Range(func(k, v any) bool { t.Errorf("flush %v: %v", k, v); return true })
	require.False(t, t.Failed())

	waitFresh(ctx, t, s, fn, a.exp.Instance(), lastFlush[0])
	waitFresh(ctx, t, s, fn, b.exp.Instance(), lastFlush[1])

	wantA, wantB := 5+7+1, 3+11+6
	tests := []struct {
		promql string
		want   float64
	}{
		{`sum(lumen_test_invocations_total{job="orders"})`, float64(wantA + wantB)},
		{`sum(lumen_test_invocations_total{job="orders",instance="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})`, float64(wantA)},
		{`sum(lumen_test_invocations_total{job="orders",instance="bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"})`, float64(wantB)},
		// every 4th invocation of each batch is an error: 1+1+0 in a, 0+2+1 in b
		{`sum(lumen_test_invocations_total{job="orders",result="error"})`, 5},
		{`sum(lumen_test_duration_seconds_count{job="orders"})`, float64(wantA + wantB)},
		{`sum(lumen_test_duration_seconds_bucket{job="orders",le="+Inf"})`, float64(wantA + wantB)},
		{`count(lumen_test_invocations_total{job="orders"})`, 4},
		{`count(count by (instance) (push_time_seconds{job="orders"}))`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.promql, func(t *testing.T) {
			got, err := s.Value(ctx, tc.promql)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}

	// Shutdown deletes exactly the environment's own group. The Pushgateway
	// answers a DELETE (202 Accepted) before it applies it: poll for the
	// groups that must remain, within the test's bound.
	require.NoError(t, a.exp.Shutdown(ctx))
	require.NoError(t, s.WaitGroups(ctx, []map[string]string{{"job": fn, "instance": b.exp.Instance()}}))
	require.NoError(t, b.exp.Shutdown(ctx))
	require.NoError(t, s.WaitGroups(ctx, nil))
}

// TestSharedGroupingKeyLosesData is the control for the per-environment
// key: two environments pushing to one instance overwrite each other, and
// Prometheus sees only the last push.
func TestSharedGroupingKeyLosesData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus and the Pushgateway")
	}
	s := promtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	lambdaEnv(t, map[string]string{"LUMEN_PUSHGATEWAY_URL": s.PushgatewayURL, "LUMEN_METRICS_INSTANCE": "same"})
	a, b := &environment{reg: exportertest.NewRegistry()}, &environment{reg: exportertest.NewRegistry()}
	var err error
	a.exp, err = pushgateway.New(a.reg, pushgateway.WithJob("shared"))
	require.NoError(t, err)
	b.exp, err = pushgateway.New(b.reg, pushgateway.WithJob("shared"))
	require.NoError(t, err)
	require.Equal(t, a.exp.Instance(), b.exp.Instance())

	a.reg.Invoke(7, 0)
	b.reg.Invoke(5, 0)
	require.NoError(t, a.exp.ForceFlush(ctx))
	last := time.Now()
	require.NoError(t, b.exp.ForceFlush(ctx))
	waitFresh(ctx, t, s, "shared", "same", last)

	got, err := s.Value(ctx, `sum(lumen_test_invocations_total{job="shared"})`)
	require.NoError(t, err)
	require.Equal(t, 5.0, got, "the second push replaced the first: 7 of 12 invocations lost")
	require.NoError(t, a.exp.Shutdown(ctx))
	require.NoError(t, b.exp.Shutdown(ctx))
}
