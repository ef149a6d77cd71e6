package workload

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// sum adds the values of every series of the named family.
func sum(t *testing.T, e *env, name string) float64 {
	t.Helper()
	mfs, err := e.rec.Gatherer().Gather()
	require.NoError(t, err)
	total := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				total += m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				total += m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				total += float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return total
}

// Against loopback fakes of the Pushgateway and the remote write receiver,
// each round records invocations, errors, phases and one invocation in
// flight at the flush, delivers through the real exporters, and counts the
// refusing and silent backends' failures, overruns and drops.
func TestRounds(t *testing.T) {
	var pushes, writes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPut:
			pushes.Add(1)
			w.WriteHeader(http.StatusOK)
		case http.MethodDelete:
			w.WriteHeader(http.StatusAccepted)
		case http.MethodPost:
			writes.Add(1)
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()

	f, err := New(Config{PushgatewayURL: srv.URL, RemoteWriteURL: srv.URL + "/api/v1/write", FlushBudget: 50 * time.Millisecond, Seed: 7})
	require.NoError(t, err)
	const rounds = 4
	for range rounds {
		require.NoError(t, f.Round(t.Context()))
	}
	require.Equal(t, []string{"env-a", "env-b"}, f.Instances(PushedFunction))
	require.Equal(t, []string{"env-c"}, f.Instances(WrittenFunction))
	require.EqualValues(t, 2*rounds, pushes.Load())
	require.EqualValues(t, rounds, writes.Load())

	for _, e := range f.envs {
		require.Equal(t, 1.0, sum(t, e, "faas_coldstarts_total"), e.instance)
		require.Equal(t, 1.0, sum(t, e, "faas_init_duration_seconds"), e.instance)
		require.Equal(t, 0.0, sum(t, e, "faas_inflight_invocations"), "the invocation spanning the flush is recorded by the end of the round")
		require.GreaterOrEqual(t, sum(t, e, "faas_invocations_total"), float64(rounds*6))
		require.Equal(t, float64(rounds+rounds/2+rounds/4), sum(t, e, "faas_errors_total"), e.instance)
		require.Equal(t, float64(rounds/4), sum(t, e, "faas_timeouts_total"), e.instance)
		// The silent backend overruns every flush; the refusing one fails
		// at once, or overruns too on a machine too busy to notice in time.
		overruns := sum(t, e, "faas_telemetry_flush_overruns_total")
		require.GreaterOrEqual(t, overruns, float64(rounds), e.instance)
		require.Equal(t, float64(2*rounds), overruns+sum(t, e, "faas_telemetry_flush_failures_total"), e.instance)
		require.Equal(t, float64(2*rounds), sum(t, e, "faas_telemetry_export_errors_total"), e.instance)
		require.Positive(t, sum(t, e, "faas_telemetry_dropped_items_total"), e.instance)
		require.Equal(t, float64(rounds), sum(t, e, "faas_telemetry_flush_duration_seconds"), e.instance)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	require.NoError(t, f.Shutdown(ctx))
}

func TestNewNeedsBothURLs(t *testing.T) {
	_, err := New(Config{PushgatewayURL: "http://127.0.0.1:1"})
	require.Error(t, err)
}
