package remotewrite

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
)

// TestRegistered builds the exporter the way the runtime does, by name from
// the registry, and checks that it follows the environment and counts its
// losses in the Config's DropCounter.
func TestRegistered(t *testing.T) {
	require.Contains(t, exporters.Registered(exporters.SignalMetrics), Name)
	tests := []struct {
		name      string
		status    int
		noURL     bool
		wantErr   error
		wantDrops map[string]int
	}{
		{name: "writes", status: http.StatusNoContent},
		{name: "counts a failed write", status: http.StatusBadRequest, wantDrops: map[string]int{"remotewrite/metrics": exportertest.RegistrySeries}},
		{name: "no URL", noURL: true, wantErr: ErrInvalidConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rcv := newFakeReceiver(t, tt.status)
			env := map[string]string{EnvURL: rcv.URL + "/api/v1/write", EnvInstance: "env-1", "AWS_LAMBDA_FUNCTION_NAME": "orders"}
			if tt.noURL {
				delete(env, EnvURL)
			}
			// The environment as the telemetry package read it, not the process's.
			var drops exportertest.Drops
			cfg := exporters.Config{Drops: &drops, Gatherer: exportertest.NewRegistry(), Getenv: func(k string) string { return env[k] }}
			exp, err := exportertest.Build(t, exporters.LookupMetricsExporter, Name, cfg)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.Nil(t, exp)
				return
			}
			require.NoError(t, err)

			err = exp.ForceFlush(t.Context())
			items, _ := drops.Get()
			require.Equal(t, tt.wantDrops, items)
			if tt.status != http.StatusNoContent {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			got := rcv.Received()
			require.Len(t, got, 1)
			require.Len(t, got[0].Series, exportertest.RegistrySeries)
			require.Equal(t, "orders", got[0].Series[0].Labels["job"])
			require.Equal(t, "env-1", got[0].Series[0].Labels["instance"])
		})
	}
}
