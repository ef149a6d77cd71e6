package dashboards_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards/internal/board"
	"github.com/lumen-rt/lumen/dashboards/internal/lint"
)

// loadCommitted reads every committed dashboard.
func loadCommitted(t *testing.T) ([]*board.Dashboard, []string) {
	t.Helper()
	byName, names, err := board.LoadDir("grafana")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	out := make([]*board.Dashboard, 0, len(names))
	for _, n := range names {
		out = append(out, byName[n])
	}
	return out, names
}

// Every committed dashboard passes dashboard-linter's rules as re-implemented
// in internal/lint, plus Lumen's own.
func TestCommittedDashboardsLintClean(t *testing.T) {
	ds, _ := loadCommitted(t)
	for _, p := range lint.LintAll(ds) {
		t.Error(p)
	}
}

// The variables the issue asks for: datasource, function (faas_name) and,
// where the metrics carry it, trigger (faas_trigger). There is no version
// variable: no Lumen metric carries a version label.
func TestVariables(t *testing.T) {
	want := map[string][]string{
		"lumen-function-overview": {"datasource", "function", "trigger"},
		"lumen-runtime-internals": {"datasource", "function"},
		"lumen-errors":            {"datasource", "function", "trigger"},
	}
	ds, _ := loadCommitted(t)
	require.Len(t, ds, len(want))
	for _, d := range ds {
		var names []string
		for _, v := range d.Templating.List {
			names = append(names, v.Name)
		}
		require.Equal(t, want[d.UID], names, d.UID)
	}
}
