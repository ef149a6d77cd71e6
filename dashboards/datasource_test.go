package dashboards_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards/internal/workload"
	"github.com/lumen-rt/lumen/internal/promtest"
)

// produced says what the data-producing step left in Prometheus.
type produced struct {
	// functions are the faas_name values that have data, each evaluated on
	// its own as well as all together.
	functions []string
	// start and end bound the data in time.
	start, end time.Time
	// maxGap is the longest time between the ends of two rounds.
	maxGap time.Duration
}

// produce is the data-producing step the dashboards are evaluated on: a
// fleet of execution environments with real Recorders, pushing through the
// real Pushgateway exporter (function "orders") and writing through the
// real remote write exporter (function "thumbnails"), rounds times. Each
// round waits until Prometheus has scraped the Pushgateway groups it pushed,
// so on return every round is queryable. The exporters stay up until the
// test ends, so no series has gone stale when the panels are evaluated.
//
// To prove the dashboards on another source (a test function under the
// real Runtime Interface Emulator), replace this function: keep the
// contract that on return Prometheus holds data for the listed functions.
func produce(t *testing.T, stack *promtest.Stack, rounds int) produced {
	t.Helper()
	fleet, err := workload.New(workload.Config{
		PushgatewayURL: stack.PushgatewayURL,
		RemoteWriteURL: stack.RemoteWriteURL,
		FlushBudget:    100 * time.Millisecond,
		Seed:           1,
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, fleet.Shutdown(ctx))
	})

	start := time.Now()
	last, maxGap := start, time.Duration(0)
	pushed := fleet.Instances(workload.PushedFunction)
	for range rounds {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		since := time.Now().Truncate(time.Second).Unix()
		require.NoError(t, fleet.Round(ctx))
		// The pushed groups are queryable once Prometheus has scraped a
		// push_time_seconds at least as new as this round's push.
		fresh := fmt.Sprintf(`count(push_time_seconds{job=%q, instance=~%q} >= %d) == %d`,
			workload.PushedFunction, strings.Join(pushed, "|"), since, len(pushed))
		_, err := stack.Query(ctx, fresh)
		cancel()
		require.NoError(t, err)
		maxGap = max(maxGap, time.Since(last))
		last = time.Now()
	}
	return produced{
		functions: []string{workload.PushedFunction, workload.WrittenFunction},
		start:     start,
		end:       last,
		maxGap:    maxGap,
	}
}
