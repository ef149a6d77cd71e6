package logging_test

import (
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

// redirectStdout points os.Stdout at a file for the duration of t and
// returns a function reading what was written.
func redirectStdout(t *testing.T) func() string {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	require.NoError(t, err)
	old := os.Stdout
	os.Stdout = f
	t.Cleanup(func() {
		os.Stdout = old
		f.Close()
	})
	return func() string {
		b, err := os.ReadFile(f.Name())
		require.NoError(t, err)
		return string(b)
	}
}

func TestDefaultAndInstall(t *testing.T) {
	clearEnv(t)
	t.Setenv(logging.EnvLogFormat, "JSON")
	t.Setenv(logging.EnvLogLevel, "WARN")
	read := redirectStdout(t)
	prev := slog.Default()
	t.Cleanup(func() { slog.SetDefault(prev) })

	// Default writes to stdout and leaves slog's default alone.
	own := logging.Default()
	require.Same(t, prev, slog.Default())
	ctx, _ := invocationCtx(2)
	own.Log(ctx, logging.LevelFatal, "runtime: init failed", logging.Err(os.ErrNotExist))
	own.InfoContext(ctx, "filtered by AWS_LAMBDA_LOG_LEVEL")

	// Install replaces it; the log package follows at INFO, filtered too,
	// and slog's package-level functions write Lambda lines.
	installed := logging.Install(logging.WithLevel(slog.LevelInfo))
	require.Same(t, installed, slog.Default())
	log.Print("from the log package")
	slog.WarnContext(ctx, "from slog", "password", "hunter2")

	ls := lines(read())
	require.Len(t, ls, 3, read())
	m := parseJSON(t, ls[0])
	require.Equal(t, "FATAL", m[logging.LevelKey])
	require.Equal(t, "errorString", m[logging.ErrorTypeKey])
	require.Equal(t, requestID(2), m[logging.RequestIDKey])
	m = parseJSON(t, ls[1])
	require.Equal(t, "INFO", m[logging.LevelKey])
	require.Equal(t, "from the log package", m[logging.MessageKey])
	m = parseJSON(t, ls[2])
	require.Equal(t, "WARN", m[logging.LevelKey])
	require.Equal(t, logging.RedactedValue, m["password"])
	require.False(t, strings.Contains(read(), "hunter2"))
}
