package dashboards_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The provisioning files are valid Grafana provisioning YAML: a Prometheus
// data source, and a file provider for the dashboards folder.
func TestProvisioningFiles(t *testing.T) {
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name, UID, Type, Access, URL string
		} `yaml:"datasources"`
	}
	data, err := os.ReadFile("provisioning/datasources/lumen-prometheus.yaml")
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, &ds))
	require.Equal(t, 1, ds.APIVersion)
	require.Len(t, ds.Datasources, 1)
	require.Equal(t, "prometheus", ds.Datasources[0].Type)
	require.NotEmpty(t, ds.Datasources[0].URL)

	var dp struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name, Type, Folder string
			Options            struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	data, err = os.ReadFile("provisioning/dashboards/lumen.yaml")
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, &dp))
	require.Equal(t, 1, dp.APIVersion)
	require.Len(t, dp.Providers, 1)
	require.Equal(t, "file", dp.Providers[0].Type)
	require.NotEmpty(t, dp.Providers[0].Options.Path)
}
