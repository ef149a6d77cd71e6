package logging

import (
	"log/slog"
	"time"
)

// timestampLayout is RFC 3339 with exactly three fractional digits, the
// shape Lambda itself writes ("2024-05-01T12:00:00.000Z").
const timestampLayout = "2006-01-02T15:04:05.000Z07:00"

// replace is the slog.HandlerOptions.ReplaceAttr of the underlying slog
// handler. At the top level it renames slog's built-in keys to Lambda's and
// formats their values; the user's hook, if any, runs after it.
//
// slog cannot tell a built-in attribute from a user attribute with the same
// key, so a top-level user attribute named "time" (holding a time.Time),
// "level" (holding a slog.Level) or "msg" is renamed too.
func (c *config) replace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 {
		switch a.Key {
		case slog.TimeKey:
			if a.Value.Kind() == slog.KindTime {
				a = slog.String(TimestampKey, formatTimestamp(a.Value.Time()))
			}
		case slog.LevelKey:
			if a.Value.Kind() == slog.KindAny {
				if l, ok := a.Value.Any().(slog.Level); ok {
					a = slog.String(LevelKey, LevelName(l))
				}
			}
		case slog.MessageKey:
			a.Key = MessageKey
		}
	}
	if c.replaceAttr != nil {
		a = c.replaceAttr(groups, a)
	}
	return a
}

// formatTimestamp formats t in UTC as RFC 3339 with millisecond precision.
func formatTimestamp(t time.Time) string {
	var b [len(timestampLayout) + 8]byte
	return string(t.UTC().AppendFormat(b[:0], timestampLayout))
}
