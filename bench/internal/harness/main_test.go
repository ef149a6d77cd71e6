package harness_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain keeps the variants' binaries in one folder for the whole test
// binary, removes it at the end, and then checks for leaked goroutines as
// goleak.VerifyTestMain does.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lumen-bench-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binaries.dir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: errors on successful test run: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}
