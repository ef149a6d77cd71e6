package board

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestParse(t *testing.T) {
	d, err := Parse([]byte(`{
		"uid": "u", "title": "T",
		"templating": {"list": [
			{"type": "query", "name": "a", "query": "label_values(up, job)"},
			{"type": "query", "name": "b", "query": {"query": "label_values(x, y)", "refId": "R"}},
			{"type": "datasource", "name": "datasource", "query": "prometheus"}
		]},
		"panels": [
			{"id": 1, "type": "row", "title": "collapsed", "panels": [{"id": 2, "type": "stat", "title": "inside"}]},
			{"id": 3, "type": "timeseries", "title": "outside", "targets": [{"refId": "A", "expr": "up", "instant": true}]}
		]
	}`))
	require.NoError(t, err)
	require.Equal(t, "label_values(up, job)", d.Templating.List[0].QueryText())
	require.Equal(t, "label_values(x, y)", d.Templating.List[1].QueryText())
	require.Equal(t, "prometheus", d.Templating.List[2].QueryText())

	var titles []string
	for _, p := range d.AllPanels() {
		titles = append(titles, p.Title)
	}
	require.Equal(t, []string{"collapsed", "inside", "outside"}, titles)
	require.True(t, d.Panels[0].IsRow())
	require.True(t, d.Panels[1].Targets[0].Instant)

	_, err = Parse([]byte(`{"panels": 3}`))
	require.Error(t, err)
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"uid": "b"}`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"uid": "a"}`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte(`x`), 0o600))
	byName, names, err := LoadDir(dir)
	require.NoError(t, err)
	require.Equal(t, []string{"a.json", "b.json"}, names)
	require.Equal(t, "b", byName["b.json"].UID)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.json"), []byte(`{`), 0o600))
	_, _, err = LoadDir(dir)
	require.ErrorContains(t, err, "c.json")

	_, err = Load(filepath.Join(dir, "missing.json"))
	require.Error(t, err)
}
