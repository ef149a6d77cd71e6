package platforme2e_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testfunc builds ./testfunc once per test binary and returns its path, or
// skips under -short.
func testfunc(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: runs the Runtime Interface Emulator")
	}
	testenv.Tool(t, rie.ToolName)
	return testenv.BuildBinary(t, "./internal/platforme2e/testfunc")
}
