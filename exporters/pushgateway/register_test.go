package pushgateway_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/pushgateway"
)

// TestRegistered builds the exporter the way the runtime does, by name from
// the registry, and checks that it follows the environment and counts its
// losses in the Config's DropCounter.
func TestRegistered(t *testing.T) {
	require.Contains(t, exporters.Registered(exporters.SignalMetrics), pushgateway.Name)
	tests := []struct {
		name      string
		status    int
		noURL     bool
		wantErr   error
		wantDrops map[string]int
	}{
		{name: "pushes", status: http.StatusOK},
		{name: "counts a failed push", status: http.StatusInternalServerError, wantDrops: map[string]int{"pushgateway/metrics": exportertest.RegistrySeries}},
		{name: "no URL", noURL: true, wantErr: pushgateway.ErrInvalidConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw := newFakeGateway(t, tt.status)
			env := map[string]string{"LUMEN_PUSHGATEWAY_URL": gw.URL, "LUMEN_METRICS_INSTANCE": "env-1", "AWS_LAMBDA_FUNCTION_NAME": "orders"}
			if tt.noURL {
				delete(env, "LUMEN_PUSHGATEWAY_URL")
			}
			// The environment as the telemetry package read it, not the process's.
			var drops exportertest.Drops
			cfg := exporters.Config{Drops: &drops, Gatherer: exportertest.NewRegistry(), Getenv: func(k string) string { return env[k] }}
			exp, err := exportertest.Build(t, exporters.LookupMetricsExporter, pushgateway.Name, cfg)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.Nil(t, exp)
				return
			}
			require.NoError(t, err)

			err = exp.ForceFlush(t.Context())
			items, _ := drops.Get()
			require.Equal(t, tt.wantDrops, items)
			if tt.status != http.StatusOK {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			reqs := gw.Requests()
			require.Len(t, reqs, 1)
			require.Equal(t, "/metrics/job/orders/instance/env-1", reqs[0].Path)
			require.Len(t, reqs[0].Families, 3)
		})
	}
}
