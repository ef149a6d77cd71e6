package dashboards_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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

// produce is the data-producing step the dashboards are evaluated on: the
// test function (internal/e2e/testfunc) under the real Runtime Interface
// Emulator, in four execution environments (startFleet): function "orders"
// pushes through Lumen's Pushgateway exporter, function "thumbnails" writes
// through its remote write exporter, each with a classic environment (cold
// starts) and a managed-instances one (overlapping invocations, a timeout).
// Everything is configured as a user would, through the environment
// runtime.Start reads; the managed-instances environments record Lambda's
// reports from the emulator's Telemetry API (LUMEN_PLATFORM_TELEMETRY),
// and for the classic ones, whose emulator serves none, the test records
// Lambda's reports with a real Recorder of its own and pushes them with
// each round (platform_data_test.go). Each of rounds rounds sends every environment
// successes of four triggers, errors of three types and an oversized
// response, then waits until Prometheus has scraped the Pushgateway groups
// it pushed, so on return every round is queryable. The environments stay
// up until the test ends, so no series has gone stale when the panels are
// evaluated.
func produce(t *testing.T, stack *promtest.Stack, rounds int) produced {
	t.Helper()
	envs := startFleet(t, stack)
	plat, err := newPlatformData(envs)
	require.NoError(t, err)
	start := time.Now()
	last, maxGap := start, time.Duration(0)
	pushed := instances(envs, pushedFunction)
	for n := range rounds {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		since := time.Now().Truncate(time.Second).Unix()
		require.NoError(t, runRound(ctx, envs, n, rounds))
		require.NoError(t, plat.push(ctx, stack, n))
		// The pushed groups are queryable once Prometheus has scraped a
		// push_time_seconds at least as new as this round's pushes.
		fresh := fmt.Sprintf(`count(push_time_seconds{job=%q, instance=~%q} >= %d) == %d`,
			pushedFunction, strings.Join(pushed, "|"), since, len(pushed))
		_, err := stack.Query(ctx, fresh)
		if err == nil {
			_, err = stack.Query(ctx, plat.fresh(since))
		}
		cancel()
		require.NoError(t, err)
		maxGap = max(maxGap, time.Since(last))
		last = time.Now()
	}
	return produced{
		functions: []string{pushedFunction, writtenFunction},
		start:     start,
		end:       last,
		maxGap:    maxGap,
	}
}
