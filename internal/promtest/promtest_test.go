package promtest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/promtest"
)

// push sends one text-format group to the Pushgateway.
func push(ctx context.Context, t *testing.T, base, path, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+path, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	http.DefaultClient.CloseIdleConnections()
}

func TestStackScrapesPushgateway(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus and the Pushgateway")
	}
	s := promtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	groups := []struct {
		instance string
		value    int
	}{{"env-a", 3}, {"env-b", 4}}
	for _, g := range groups {
		push(ctx, t, s.PushgatewayURL, "/metrics/job/fn/instance/"+g.instance,
			fmt.Sprintf("# TYPE promtest_events_total counter\npromtest_events_total %d\n", g.value))
	}

	got, err := s.Groups(ctx)
	require.NoError(t, err)
	require.ElementsMatch(t, []map[string]string{
		{"job": "fn", "instance": "env-a"},
		{"job": "fn", "instance": "env-b"},
	}, got)

	res, err := s.Query(ctx, `promtest_events_total{job="fn"}`)
	require.NoError(t, err)
	byInstance := map[string]float64{}
	for _, r := range res {
		require.Equal(t, "fn", r.Metric["job"], "honor_labels keeps the pushed job")
		byInstance[r.Metric["instance"]] = r.Value
	}
	require.Equal(t, map[string]float64{"env-a": 3, "env-b": 4}, byInstance)

	sum, err := s.Value(ctx, `sum(promtest_events_total{job="fn"})`)
	require.NoError(t, err)
	require.Equal(t, 7.0, sum)
}

func TestQueryEndsWithContext(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus")
	}
	base := promtest.StartPrometheus(t, "")
	t.Run("absent series waits for ctx", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		_, err := promtest.Query(ctx, base, `no_such_metric`)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.ErrorContains(t, err, "empty result")
	})
	t.Run("rejected query returns at once", func(t *testing.T) {
		_, err := promtest.Query(t.Context(), base, `sum(`)
		var qe *promtest.QueryError
		require.ErrorAs(t, err, &qe)
		require.Equal(t, http.StatusBadRequest, qe.Status)
		require.Equal(t, "sum(", qe.Query)
	})
}
