package pushgateway_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/pushgateway"
)

// flushBudget is the context a flush gets in these tests, as the runtime's
// flush point would give it. A flush that ignored it would hang the test.
const flushBudget = 200 * time.Millisecond

func TestFailedPushesAreBoundedAndCounted(t *testing.T) {
	tests := []struct {
		name     string
		url      func(t *testing.T) string
		wantIs   error
		wantText string
	}{
		{"closed port", func(t *testing.T) string { return exportertest.ClosedURL(t) }, nil, "connection refused"},
		{"blackholed gateway", func(t *testing.T) string { return exportertest.NewBlackhole(t).URL }, context.DeadlineExceeded, ""},
		{"server error", func(t *testing.T) string { return newFakeGateway(t, http.StatusInternalServerError).URL }, nil, "unexpected status code 500"},
		{"rejected push", func(t *testing.T) string { return newFakeGateway(t, http.StatusBadRequest).URL }, nil, "unexpected status code 400"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lambdaEnv(t, nil)
			drops := &exportertest.Drops{}
			reg := exportertest.NewRegistry()
			reg.Invoke(3, 0)
			e, err := pushgateway.New(reg, pushgateway.WithURL(tc.url(t)), pushgateway.WithInstance("env1"),
				pushgateway.WithDropCounter(drops))
			require.NoError(t, err)

			ctx, cancel := context.WithTimeout(t.Context(), flushBudget)
			defer cancel()
			err = e.ForceFlush(ctx)
			require.Error(t, err)
			if tc.wantIs != nil {
				require.ErrorIs(t, err, tc.wantIs)
			}
			require.ErrorContains(t, err, tc.wantText)
			require.ErrorContains(t, err, "push 9 series")

			items, calls := drops.Get()
			require.Equal(t, map[string]int{"pushgateway/" + exporters.SignalMetrics: exportertest.RegistrySeries}, items)
			require.Equal(t, 1, calls)

			sctx, scancel := context.WithTimeout(t.Context(), flushBudget)
			defer scancel()
			require.Error(t, e.Shutdown(sctx), "the group could not be deleted")
			require.NoError(t, e.Shutdown(sctx), "second Shutdown is a no-op")
			require.ErrorIs(t, e.ForceFlush(t.Context()), pushgateway.ErrShutdown)
			_, calls = drops.Get()
			require.Equal(t, 1, calls, "shutdown and later flushes drop nothing more")
		})
	}
}

func TestWaitingForAStuckPushIsBounded(t *testing.T) {
	lambdaEnv(t, nil)
	hole := exportertest.NewBlackhole(t)
	drops := &exportertest.Drops{}
	e, err := pushgateway.New(exportertest.NewRegistry(), pushgateway.WithURL(hole.URL), pushgateway.WithInstance("env1"),
		pushgateway.WithDropCounter(drops))
	require.NoError(t, err)

	stuckCtx, cancelStuck := context.WithCancel(t.Context())
	stuck := make(chan error, 1)
	go func() { stuck <- e.ForceFlush(stuckCtx) }()
	<-hole.Arrived // the first push holds the turn

	for _, call := range []struct {
		name string
		do   func(context.Context) error
	}{{"flush", e.ForceFlush}, {"shutdown", e.Shutdown}} {
		ctx, cancel := context.WithTimeout(t.Context(), flushBudget)
		err := call.do(ctx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, call.name)
		require.ErrorContains(t, err, "waiting for the", call.name)
	}

	cancelStuck()
	require.ErrorIs(t, <-stuck, context.Canceled)
	_, calls := drops.Get()
	require.Equal(t, 1, calls, "only the push that was sent counts as dropped")
}

func TestConcurrentFlushesAreSerialised(t *testing.T) {
	lambdaEnv(t, nil)
	gw := newFakeGateway(t, http.StatusOK)
	reg := exportertest.NewRegistry()
	e, err := pushgateway.New(reg, pushgateway.WithURL(gw.URL), pushgateway.WithInstance("env1"))
	require.NoError(t, err)

	const flushes = 8
	var wg sync.WaitGroup
	errs := make(chan error, flushes)
	for range flushes {
		wg.Go(func() {
			reg.Invoke(1, 0)
			errs <- e.ForceFlush(t.Context())
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, e.Shutdown(t.Context()))
	require.Len(t, gw.Requests(), flushes+1)
	gw.mu.Lock()
	defer gw.mu.Unlock()
	require.Equal(t, 1, gw.maxIn, "one request at a time")
}

func TestKeepGroupOnShutdown(t *testing.T) {
	lambdaEnv(t, nil)
	gw := newFakeGateway(t, http.StatusOK)
	e, err := pushgateway.New(exportertest.NewRegistry(), pushgateway.WithURL(gw.URL), pushgateway.WithInstance("env1"),
		pushgateway.WithoutDeleteOnShutdown())
	require.NoError(t, err)
	require.NoError(t, e.ForceFlush(t.Context()))
	require.NoError(t, e.Shutdown(t.Context()))
	reqs := gw.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, http.MethodPut, reqs[0].Method)
}
