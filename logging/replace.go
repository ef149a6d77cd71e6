package logging

import (
	"log/slog"
	"sync/atomic"
	"time"
)

// timestampLayout is RFC 3339 with exactly three fractional digits, the
// shape Lambda itself writes ("2024-05-01T12:00:00.000Z").
const timestampLayout = "2006-01-02T15:04:05.000Z07:00"

// replace is the slog.HandlerOptions.ReplaceAttr of the underlying slog
// handler. At the top level it renames slog's built-in keys to Lambda's and
// formats their values; the user's hook, if any, runs after it.
//
// The timestamp is written in UTC with exactly three fractional digits. The
// text handler formats a time.Time that way itself, without allocating; for
// JSON the string is made here, once per millisecond (see stamp).
//
// slog cannot tell a built-in attribute from a user attribute with the same
// key, so a top-level user attribute named "time" (holding a time.Time),
// "level" (holding a slog.Level) or "msg" is renamed too.
func (c *config) replace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 {
		switch a.Key {
		case slog.TimeKey:
			if a.Value.Kind() == slog.KindTime {
				t := a.Value.Time().UTC()
				if c.format == FormatJSON {
					a = slog.String(TimestampKey, c.stamp.format(t))
				} else {
					a = slog.Time(TimestampKey, t)
				}
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

// stamp caches the formatted timestamp of the last millisecond seen, so
// lines logged in the same millisecond share one string.
type stamp struct {
	last atomic.Pointer[stamped]
}

type stamped struct {
	ms int64
	s  string
}

// format returns t, in UTC, as timestampLayout.
func (c *stamp) format(t time.Time) string {
	ms := t.UnixMilli()
	if p := c.last.Load(); p != nil && p.ms == ms {
		return p.s
	}
	var b [len(timestampLayout) + 8]byte
	s := string(t.AppendFormat(b[:0], timestampLayout))
	c.last.Store(&stamped{ms: ms, s: s})
	return s
}
