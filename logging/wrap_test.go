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
	debug, errorLevel := logging.WithLevel(slog.LevelDebug), logging.WithLevel(slog.LevelError)
	tests := []struct {
		name      string
		opts      []logging.Option
		nextLevel slog.Level
		want      []string // messages that reach next
	}{
		{name: "default INFO", nextLevel: slog.LevelDebug, want: []string{"info", "error"}},
		{name: "level", opts: []logging.Option{errorLevel}, nextLevel: slog.LevelDebug, want: []string{"error"}},
		{name: "later option wins", opts: []logging.Option{errorLevel, debug}, nextLevel: slog.LevelDebug, want: []string{"debug", "sampled debug", "info", "error"}},
		{name: "next's own level still applies", opts: []logging.Option{debug}, nextLevel: slog.LevelError, want: []string{"error"}},
		{name: "sampled invocation", opts: []logging.Option{logging.WithSampleRate(1)}, nextLevel: slog.LevelDebug, want: []string{"sampled debug", "info", "error"}},
		{name: "shape options ignored", opts: []logging.Option{logging.WithFormat(logging.FormatText), logging.WithService("svc"), logging.WithFunctionName("fn")}, nextLevel: slog.LevelDebug, want: []string{"info", "error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(logging.Wrap(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tt.nextLevel}), tt.opts...))
			inv, _ := invocationCtx(1)
			l.DebugContext(context.Background(), "debug")
			l.DebugContext(inv, "sampled debug")
			l.InfoContext(inv, "info")
			l.ErrorContext(inv, "error")
			var got []string
			for _, line := range lines(buf.String()) {
				m := parseJSON(t, line)
				require.NotContains(t, m, logging.RequestIDKey, "Wrap adds no field")
				require.NotContains(t, m, logging.ServiceKey, "Wrap adds no field")
				require.Contains(t, m, slog.MessageKey, "Wrap renames no key")
				got = append(got, str(m[slog.MessageKey]))
			}
			require.Equal(t, tt.want, got)
		})
	}
}
