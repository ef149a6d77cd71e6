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
	// What telemetry passes for AWS_LAMBDA_LOG_FORMAT=JSON and
	// AWS_LAMBDA_LOG_LEVEL=WARN.
	fromEnv := []logging.Option{logging.WithFormat(logging.FormatJSON), logging.WithLevel(slog.LevelWarn)}
	read := redirectStdout(t)
	prev, prevOut, prevFlags := slog.Default(), log.Writer(), log.Flags()
	t.Cleanup(func() {
		slog.SetDefault(prev)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
	})

	// Default writes to stdout and leaves slog's default alone.
	own := logging.Default(fromEnv...)
	require.Same(t, prev, slog.Default())
	ctx, _ := invocationCtx(2)
	own.Log(ctx, logging.LevelFatal, "runtime: init failed", logging.Err(os.ErrNotExist))
	own.InfoContext(ctx, "filtered by the level")

	// Install replaces it; the log package follows at INFO, filtered too,
	// and slog's package-level functions write Lambda lines.
	installed := logging.Install(append(fromEnv, logging.WithLevel(slog.LevelInfo))...)
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

// TestLogPackageLevel checks what the package documentation says of the
// standard log package's lines: slog gives them INFO, so a minimum level
// above INFO drops them, in either format; slog.SetLogLoggerLevel or
// slog.NewLogLogger keeps them at WARN.
func TestLogPackageLevel(t *testing.T) {
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			prevLevel := slog.SetLogLoggerLevel(slog.LevelInfo)
			t.Cleanup(func() { slog.SetLogLoggerLevel(prevLevel) })

			// AWS_LAMBDA_LOG_LEVEL=WARN (or POWERTOOLS_LOG_LEVEL=WARN).
			parse := install(t, format, logging.WithLevel(slog.LevelWarn))
			log.Print("INFO: dropped")
			slog.SetLogLoggerLevel(slog.LevelWarn)
			log.Print("kept at WARN")
			slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn).Print("a *log.Logger of its own at WARN")
			slog.SetLogLoggerLevel(slog.LevelInfo)
			log.Print("INFO again: dropped")

			ms := parse()
			require.Len(t, ms, 2)
			require.Equal(t, "kept at WARN", ms[0][logging.MessageKey])
			require.Equal(t, "a *log.Logger of its own at WARN", ms[1][logging.MessageKey])
			for _, m := range ms {
				require.Equal(t, "WARN", m[logging.LevelKey])
			}
		})
	}
	t.Run("SetLogLoggerLevel before Install", func(t *testing.T) {
		// In main, before runtime.Start installs the handler.
		prevLevel := slog.SetLogLoggerLevel(slog.LevelWarn)
		t.Cleanup(func() { slog.SetLogLoggerLevel(prevLevel) })
		parse := install(t, logging.FormatJSON, logging.WithLevel(slog.LevelWarn))
		log.Print("kept at WARN")
		ms := parse()
		require.Len(t, ms, 1)
		require.Equal(t, "WARN", ms[0][logging.LevelKey])
	})
	t.Run("INFO by default", func(t *testing.T) {
		parse := install(t, logging.FormatJSON)
		log.Print("at INFO")
		ms := parse()
		require.Len(t, ms, 1)
		require.Equal(t, "INFO", ms[0][logging.LevelKey])
	})
}
