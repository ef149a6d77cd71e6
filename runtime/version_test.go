package runtime_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
)

// TestVersion: Version is MAJOR.MINOR.PATCH, and CHANGELOG.md (Keep a
// Changelog) has an Unreleased section and names no release newer than
// Version, so that tagging v+Version is the next release.
func TestVersion(t *testing.T) {
	semver := regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$`)
	require.Regexp(t, semver, runtime.Version)

	b, err := os.ReadFile(filepath.Join("..", "CHANGELOG.md"))
	require.NoError(t, err)
	changelog := string(b)
	require.Contains(t, changelog, "\n## [Unreleased]\n")
	for _, m := range regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\]`).FindAllStringSubmatch(changelog, -1) {
		require.LessOrEqual(t, compareSemver(m[1], runtime.Version), 0, "CHANGELOG.md names release %s, newer than Version %s", m[1], runtime.Version)
	}
}

// compareSemver compares two MAJOR.MINOR.PATCH versions.
func compareSemver(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range 3 {
		if len(pa[i]) != len(pb[i]) {
			return len(pa[i]) - len(pb[i])
		}
		if c := strings.Compare(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return 0
}
