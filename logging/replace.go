package logging

import (
	"log/slog"
	"time"
)

// replace is the slog.HandlerOptions.ReplaceAttr of the underlying slog
// handler. At the top level it renames slog's built-in keys to Lambda's and
// formats their values; the user's hook, if any, runs after it.
//
// The timestamp stays a time.Time, truncated to the millisecond and in UTC,
// so slog encodes it without allocating: the text format writes exactly
// three fractional digits ("2024-05-01T12:00:00.000Z"), the JSON format
// writes RFC 3339 with trailing zeros of the fraction dropped
// ("2024-05-01T12:00:00.25Z", "2024-05-01T12:00:00Z").
//
// slog cannot tell a built-in attribute from a user attribute with the same
// key, so a top-level user attribute named "time" (holding a time.Time),
// "level" (holding a slog.Level) or "msg" is renamed too.
func (c *config) replace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 {
		switch a.Key {
		case slog.TimeKey:
			if a.Value.Kind() == slog.KindTime {
				a = slog.Time(TimestampKey, a.Value.Time().Truncate(time.Millisecond).UTC())
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
