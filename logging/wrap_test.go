package logging_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

func TestWrapPolicy(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		opts      []logging.Option
		nextLevel slog.Level
		want      []string // messages that reach next
	}{
		{name: "default INFO", nextLevel: slog.LevelDebug, want: []string{"info", "error"}},
		{name: "level from env", env: map[string]string{logging.EnvLogLevel: "ERROR"}, nextLevel: slog.LevelDebug, want: []string{"error"}},
		{name: "option over env", env: map[string]string{logging.EnvLogLevel: "ERROR"}, opts: []logging.Option{logging.WithLevel(slog.LevelDebug)}, nextLevel: slog.LevelDebug, want: []string{"debug", "sampled debug", "info", "error"}},
		{name: "next's own level still applies", opts: []logging.Option{logging.WithLevel(slog.LevelDebug)}, nextLevel: slog.LevelError, want: []string{"error"}},
		{name: "sampled invocation", env: map[string]string{logging.EnvSampleRate: "1"}, nextLevel: slog.LevelDebug, want: []string{"sampled debug", "info", "error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var buf bytes.Buffer
			var errs []error
			opts := append(tt.opts, logging.WithConfigErrorHandler(func(err error) { errs = append(errs, err) }))
			l := slog.New(logging.Wrap(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tt.nextLevel}), opts...))
			inv, _ := invocationCtx(1)
			l.DebugContext(context.Background(), "debug")
			l.DebugContext(inv, "sampled debug")
			l.InfoContext(inv, "info")
			l.ErrorContext(inv, "error")
			var got []string
			for _, line := range lines(buf.String()) {
				m := parseJSON(t, line)
				require.NotContains(t, m, logging.RequestIDKey, "Wrap adds no field")
				require.Contains(t, m, slog.MessageKey, "Wrap renames no key")
				got = append(got, str(m[slog.MessageKey]))
			}
			require.Equal(t, tt.want, got)
			require.Empty(t, errs)
		})
	}
}

func TestWrapReportsConfigErrorsOnlyToItsHandler(t *testing.T) {
	clearEnv(t)
	t.Setenv(logging.EnvLogLevel, "LOUDEST")
	var buf bytes.Buffer
	var errs []error
	logging.Wrap(slog.NewJSONHandler(&buf, nil), logging.WithConfigErrorHandler(func(err error) { errs = append(errs, err) }))
	logging.Wrap(slog.NewJSONHandler(&buf, nil))
	require.Empty(t, buf.String())
	require.Len(t, errs, 1)
	require.ErrorContains(t, errs[0], "LOUDEST")
}
