package examplestest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

// TestMain removes the example binaries once every test has run, then
// checks for leaked goroutines as goleak.VerifyTestMain does.
func TestMain(m *testing.M) {
	code := m.Run()
	buildMu.Lock()
	for _, bin := range buildCache {
		os.RemoveAll(filepath.Dir(bin))
	}
	buildMu.Unlock()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// examplesDir is the examples module's folder.
func examplesDir() string { return filepath.Join(testenv.RepoRoot(), "examples") }

var (
	buildMu    sync.Mutex
	buildCache = map[string]string{}
)

// requireEmulator skips under -short and without the emulator.
func requireEmulator(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: runs the Runtime Interface Emulator")
	}
	testenv.Tool(t, rie.ToolName)
}

// buildExample builds the main package pkg of the examples module (such as
// "./sqs") with `go build` run in examples/, once per test binary, and
// returns the executable's path. flags go before the package.
func buildExample(t *testing.T, pkg string, flags ...string) string {
	t.Helper()
	key := strings.Join(append([]string{pkg}, flags...), " ")
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := buildCache[key]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "lumen-example-")
	require.NoError(t, err)
	out := filepath.Join(dir, "bootstrap")
	args := append([]string{"build", "-trimpath", "-o", out}, flags...)
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = examplesDir()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s in examples/: %v\n%s", pkg, err, b)
	}
	buildCache[key] = out
	return out
}

// testdata reads a file of an example's testdata folder.
func testdata(t *testing.T, example, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir(), example, "testdata", name))
	require.NoError(t, err)
	return b
}

// hasTestdata reports whether an example has the testdata file name.
func hasTestdata(example, name string) bool {
	_, err := os.Stat(filepath.Join(examplesDir(), example, "testdata", name))
	return err == nil
}

// streamSeparator ends the prelude of a streamed HTTP integration response.
var streamSeparator = make([]byte, 8)

// requireAnswer requires resp to be the example's expected answer: the JSON
// of testdata/response.json or, when testdata/response.txt exists, a
// streamed HTTP integration response whose prelude is response.json and
// whose body is response.txt.
func requireAnswer(t *testing.T, example string, resp *rie.Response) {
	t.Helper()
	require.Empty(t, resp.FunctionError(), "body: %.500s", resp.Body)
	want := testdata(t, example, "response.json")
	if !hasTestdata(example, "response.txt") {
		require.JSONEq(t, string(want), string(resp.Body))
		return
	}
	prelude, body, ok := bytes.Cut(resp.Body, streamSeparator)
	require.True(t, ok, "a streamed HTTP answer has a prelude and eight NUL bytes: %q", resp.Body)
	require.JSONEq(t, string(want), string(prelude))
	require.Equal(t, string(testdata(t, example, "response.txt")), string(body))
}
