package tracing_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A valid X-Ray trace header's parts, shared by the tests.
const (
	root    = "1-5759e988-bd862e3fe1be46a994272793"
	parent  = "53995c3f42cd8ad8"
	lineage = "a87bd80c:0"
)

// testdata reads an event of ../invocation/testdata.
func testdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "invocation", "testdata", name))
	require.NoError(tb, err)
	return b
}

const functionName = "my-function"
