package otlp_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLight checks that the package links none of the heavy OTLP
// dependencies: gRPC, the generated OTLP types, the log SDK, the SDK's
// OTLP exporters.
func TestLight(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list; skipped with -short")
	}
	for _, pkg := range []string{"github.com/lumen-rt/lumen/exporters/otlp", "github.com/lumen-rt/lumen/exporters/internal/otlpwire"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		require.NoError(t, err, "%s", out)
		deps := strings.Fields(string(out))
		require.Contains(t, deps, "google.golang.org/protobuf/encoding/protowire", "the list is real")
		for _, dep := range deps {
			for _, heavy := range []string{
				"google.golang.org/grpc",
				"go.opentelemetry.io/proto/otlp",
				"go.opentelemetry.io/otel/sdk/log",
				"go.opentelemetry.io/otel/exporters/otlp",
				"go.opentelemetry.io/contrib/bridges/otelslog",
			} {
				require.False(t, dep == heavy || strings.HasPrefix(dep, heavy+"/"), "%s links %s", pkg, dep)
			}
		}
	}
}
