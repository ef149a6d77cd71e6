package telemetry_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/telemetry"
)

// table renders Variables as the README's configuration table.
func table() string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, v := range telemetry.Variables() {
		b.WriteString("| `" + v.Name + "` | " + v.Default + " | " + v.Meaning + " |\n")
	}
	return b.String()
}

// The README's configuration table is the list ReadEnv reads, so that the
// documentation cannot drift from the code. Regenerate it with
// LUMEN_UPDATE_README=1 go test ./telemetry -run TestREADMETable.
func TestREADMETable(t *testing.T) {
	path := filepath.Join("..", "README.md")
	readme, err := os.ReadFile(path)
	require.NoError(t, err)
	const begin, end = "<!-- variables:begin -->\n", "<!-- variables:end -->"
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	require.True(t, i >= 0 && j > i, "README.md holds the table between %q and %q", begin, end)
	want := table()
	if os.Getenv("LUMEN_UPDATE_README") == "1" {
		s = s[:i+len(begin)] + want + s[j:]
		require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
		return
	}
	require.Equal(t, want, s[i+len(begin):j], "README.md's configuration table is out of date: LUMEN_UPDATE_README=1 go test ./telemetry -run TestREADMETable")
}

// expand lists the variables a row names: comma-separated names, each
// with {a,b} alternatives expanded.
func expand(name string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range name + "," {
		switch {
		case c == '{':
			depth++
		case c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, braces(strings.TrimSpace(name[start:min(i, len(name))]))...)
			start = i + 1
		}
	}
	return out
}

func braces(s string) []string {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return []string{s}
	}
	j := i + strings.IndexByte(s[i:], '}')
	var out []string
	for _, alt := range strings.Split(s[i+1:j], ",") {
		out = append(out, braces(s[:i]+alt+s[j+1:])...)
	}
	return out
}

// Every variable ReadEnv reads is in the table: the constants of the
// package, checked by name.
func TestVariablesCoverTheConstants(t *testing.T) {
	documented := map[string]bool{}
	for _, v := range telemetry.Variables() {
		for _, n := range expand(v.Name) {
			documented[n] = true
		}
	}
	require.True(t, documented["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], "patterns expand: %v", documented)
	src, err := os.ReadFile("variables.go")
	require.NoError(t, err)
	n := 0
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		_, value, ok := strings.Cut(line, `= "`)
		if !ok || !strings.HasPrefix(line, "Env") {
			continue
		}
		name := strings.TrimSuffix(value, `"`)
		require.True(t, documented[name], "%s is documented in Variables", name)
		n++
	}
	require.Greater(t, n, 40)
}
