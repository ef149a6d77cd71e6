package dashboards_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards"
)

// The committed JSON is exactly what cmd/gen writes. Regenerate with
// `go run ./cmd/gen` after changing a dashboard.
func TestCommittedJSONIsGenerated(t *testing.T) {
	boards, err := dashboards.All()
	require.NoError(t, err)
	var want []string
	for _, b := range boards {
		t.Run(b.File, func(t *testing.T) {
			generated, err := dashboards.Marshal(b.Dashboard)
			require.NoError(t, err)
			committed, err := os.ReadFile(filepath.Join("grafana", b.File))
			require.NoError(t, err, "run `go run ./cmd/gen` in dashboards/")
			require.Equal(t, string(generated), string(committed), "grafana/%s differs from the generator: run `go run ./cmd/gen`", b.File)
		})
		want = append(want, filepath.Join("grafana", b.File))
	}
	files, err := filepath.Glob(filepath.Join("grafana", "*.json"))
	require.NoError(t, err)
	require.ElementsMatch(t, want, files, "grafana/ holds a dashboard the generator does not make")
}

// Write produces the same files as the committed ones, in a fresh folder.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, dashboards.Write(dir))
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 3)
	for _, f := range files {
		got, err := os.ReadFile(f)
		require.NoError(t, err)
		want, err := os.ReadFile(filepath.Join("grafana", filepath.Base(f)))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
	require.Error(t, dashboards.Write(filepath.Join(dir, "missing", "folder")))
}
