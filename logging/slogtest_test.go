package logging_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"testing/slogtest"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

// ctxHandler hands every record to h with ctx, as a handler running inside an
// invocation would see it.
type ctxHandler struct {
	h   slog.Handler
	ctx context.Context
}

func (c ctxHandler) Enabled(_ context.Context, l slog.Level) bool { return c.h.Enabled(c.ctx, l) }
func (c ctxHandler) Handle(_ context.Context, r slog.Record) error {
	return c.h.Handle(c.ctx, r)
}
func (c ctxHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return ctxHandler{c.h.WithAttrs(as), c.ctx}
}
func (c ctxHandler) WithGroup(name string) slog.Handler {
	return ctxHandler{c.h.WithGroup(name), c.ctx}
}

func TestSlogtest(t *testing.T) {
	invCtx, sc := invocationCtx(7)
	for _, format := range []logging.Format{logging.FormatJSON, logging.FormatText} {
		for _, inv := range []bool{false, true} {
			name := format.String()
			if inv {
				name += "/invocation"
			}
			t.Run(name, func(t *testing.T) {
				var buf *bytes.Buffer
				slogtest.Run(t, func(*testing.T) slog.Handler {
					buf = new(bytes.Buffer)
					h := logging.NewHandler(buf, logging.WithFormat(format), logging.WithSampleRate(0.5))
					if inv {
						return ctxHandler{h, invCtx}
					}
					return h
				}, func(t *testing.T) map[string]any {
					ls := lines(buf.String())
					require.Len(t, ls, 1)
					var m map[string]any
					if format == logging.FormatJSON {
						m = parseJSON(t, ls[0])
					} else {
						m = parseText(t, ls[0])
					}
					// The correlation fields are at the top level, never in a group.
					if inv {
						require.Equal(t, "8476a536-e9f4-11e8-9739-000000000007", m[logging.RequestIDKey])
						require.Equal(t, sc.SpanID().String(), m[logging.SpanIDKey])
						delete(m, logging.RequestIDKey) // keep slogtest's view minimal
					} else {
						require.NotContains(t, m, logging.RequestIDKey)
					}
					require.Contains(t, m, logging.SamplingRateKey)
					// Map Lambda's keys back to slog's for slogtest.
					for from, to := range map[string]string{logging.TimestampKey: slog.TimeKey, logging.MessageKey: slog.MessageKey} {
						if v, ok := m[from]; ok {
							m[to] = v
							delete(m, from)
						}
					}
					return m
				})
			})
		}
	}
}

// TestWrapSlogtest proves Wrap keeps the wrapped handler conformant.
func TestWrapSlogtest(t *testing.T) {
	var buf *bytes.Buffer
	slogtest.Run(t, func(*testing.T) slog.Handler {
		buf = new(bytes.Buffer)
		return logging.Wrap(slog.NewJSONHandler(buf, nil))
	}, func(t *testing.T) map[string]any {
		ls := lines(buf.String())
		require.Len(t, ls, 1)
		return parseJSON(t, ls[0])
	})
}
