package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// EnvTools names the folder searched first for tools; default: <repo>/.tools/bin.
const EnvTools = "LUMEN_TOOLS"

// CI reports whether the tests run in CI (CI=true), where missing parts fail.
func CI() bool { return os.Getenv("CI") == "true" }

// RepoRoot returns the repository's root folder.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// ToolsDir returns the folder `make tools` installs into.
func ToolsDir() string {
	if d := os.Getenv(EnvTools); d != "" {
		return d
	}
	return filepath.Join(RepoRoot(), ".tools", "bin")
}

// Tool returns the path of a tool: first in [ToolsDir], then on PATH. When
// the tool is missing the test fails under CI=true and is skipped otherwise.
func Tool(t testing.TB, name string) string {
	t.Helper()
	if p, ok := LookTool(name); ok {
		return p
	}
	Missing(t, name+" is not installed; run `make tools`")
	return ""
}

// LookTool is [Tool] without the test: the path and whether it was found.
func LookTool(name string) (string, bool) {
	p := filepath.Join(ToolsDir(), name)
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return p, true
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, true
	}
	return "", false
}

// Missing reports a real part the test needs and cannot have: a failure
// under CI=true, a skip otherwise.
func Missing(t testing.TB, why string) {
	t.Helper()
	if CI() {
		t.Fatalf("CI=true and a real part is missing: %s", why)
	}
	t.Skip(why)
}

// RequireRoot skips (or, under CI=true, fails) a test that needs root, such
// as the emulator's managed-instances mode.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Missing(t, "needs root")
	}
}

var (
	buildMu    sync.Mutex
	buildCache = map[string]string{}
)

// BuildBinary builds the Go main package pkg (an import path or a folder
// relative to the repository root) once per test binary and returns the
// executable's path. Extra flags such as "-tags=x" go before the package.
func BuildBinary(t testing.TB, pkg string, flags ...string) string {
	t.Helper()
	key := pkg
	for _, f := range flags {
		key += " " + f
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := buildCache[key]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "lumen-bin-")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bootstrap")
	args := append([]string{"build", "-o", out}, flags...)
	args = append(args, pkg)
	cmd := exec.Command("go", args...)
	cmd.Dir = RepoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	buildCache[key] = out
	return out
}
