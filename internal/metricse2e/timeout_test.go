package metricse2e_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/promtest"
	"github.com/lumen-rt/lumen/internal/rie"
)

// TestClassicTimeout: in classic mode the emulator resets the environment
// when an invocation times out, sending SIGTERM. The invocation is recorded
// as a timeout — with the handler's error if it returned at its deadline,
// else interrupted by the reset — and the shutdown that follows delivers it
// through remote write (final values, then staleness markers); the
// Pushgateway group is deleted by that same shutdown.
func TestClassicTimeout(t *testing.T) {
	testfunc(t)
	stack := promtest.Start(t)
	instance := instanceID('f')
	e := &environment{instance: instance, em: rie.StartClassic(t, testfunc(t),
		rie.WithFunctionName(functionName), rie.WithTimeout(1),
		rie.WithEnv(
			"AWS_LAMBDA_LOG_STREAM_NAME=2026/11/29/[$LATEST]"+instance,
			"LUMEN_METRICS_EXPORTER=pushgateway,remotewrite",
			"LUMEN_PUSHGATEWAY_URL="+stack.PushgatewayURL,
			"LUMEN_REMOTE_WRITE_URL="+stack.RemoteWriteURL,
			"LUMEN_REMOTE_WRITE_JOB="+remoteWriteJob,
		))}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	require.NoError(t, e.run(ctx, mix{stepEcho, stepEcho}))
	// The barrier never fills in classic mode: the handler waits for its
	// deadline and returns its error just after it.
	resp, err := e.em.Invoke(ctx, []byte(`{"op":"barrier","n":2}`), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.Status)
	require.Equal(t, "Task timed out after 1.00 seconds", string(resp.Body))

	// The series end with staleness markers: read their last values.
	sel := fmt.Sprintf(`job=%q, instance=%q`, remoteWriteJob, instance)
	_, err = stack.Query(ctx, fmt.Sprintf(`sum(last_over_time(faas_timeouts_total{%s}[5m])) >= 1`, sel))
	require.NoError(t, err, "the timeout never reached Prometheus")
	tests := []struct {
		query string
		want  float64
	}{
		{`sum(last_over_time(faas_timeouts_total{%s}[5m]))`, 1},
		{`sum(last_over_time(faas_invocations_total{%s}[5m]))`, 3},
		// The handler returns its error just after the deadline, as the
		// emulator resets the environment: whichever comes first, the
		// invocation is recorded as a timeout, with the handler's error or
		// as interrupted by the reset.
		{`sum(last_over_time(faas_errors_total{%s, error_type=~"errorString|Sandbox.Timedout"}[5m]))`, 1},
		{`sum(last_over_time(faas_coldstarts_total{%s}[5m]))`, 1},
		{`count(faas_invocations_total{%s}) or vector(0)`, 0}, // stale now
	}
	for _, tt := range tests {
		q := fmt.Sprintf(tt.query, sel)
		got, err := stack.Value(ctx, q)
		require.NoError(t, err)
		require.Equal(t, tt.want, got, q)
	}
	require.NoError(t, stack.WaitGroups(ctx, nil), "the reset's shutdown deletes the Pushgateway group")
}
