package promtest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/promtest"
)

func TestSameGroups(t *testing.T) {
	a := map[string]string{"job": "fn", "instance": "a"}
	b := map[string]string{"job": "fn", "instance": "b"}
	tests := []struct {
		name string
		x, y []map[string]string
		want bool
	}{
		{name: "none and nil", x: nil, y: []map[string]string{}, want: true},
		{name: "any order", x: []map[string]string{a, b}, y: []map[string]string{b, a}, want: true},
		{name: "one missing", x: []map[string]string{a, b}, y: []map[string]string{a}},
		{name: "other label value", x: []map[string]string{a}, y: []map[string]string{b}},
		{name: "extra label", x: []map[string]string{a}, y: []map[string]string{{"job": "fn", "instance": "a", "x": "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, promtest.SameGroups(tt.x, tt.y))
			require.Equal(t, tt.want, promtest.SameGroups(tt.y, tt.x))
		})
	}
}

// TestWaitGroupsAfterDelete deletes a group the way the Pushgateway
// exporter's Shutdown does and waits for the Pushgateway to apply it: the
// DELETE is answered 202 Accepted, before the group is gone.
func TestWaitGroupsAfterDelete(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Prometheus and the Pushgateway")
	}
	s := promtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, instance := range []string{"env-a", "env-b"} {
		push(ctx, t, s.PushgatewayURL, "/metrics/job/fn/instance/"+instance, "promtest_up 1\n")
	}
	require.NoError(t, s.WaitGroups(ctx, []map[string]string{
		{"job": "fn", "instance": "env-b"}, {"job": "fn", "instance": "env-a"},
	}))

	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, s.PushgatewayURL+"/metrics/job/fn/instance/env-a", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "the Pushgateway deletes asynchronously")
	require.NoError(t, s.WaitGroups(ctx, []map[string]string{{"job": "fn", "instance": "env-b"}}))

	// A state that never comes is an error once ctx ends, naming the last
	// answer.
	short, cancelShort := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancelShort()
	err = s.WaitGroups(short, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "env-b")
}
