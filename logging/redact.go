package logging

import (
	"log/slog"
	"strings"
)

// redactedValue replaces the value of a redacted attribute.
const redactedValue = "[REDACTED]"

// redactor replaces the values of attributes whose keys it matches.
type redactor struct {
	keys []string
}

// newRedactor returns nil when there is nothing to redact, so the hot path
// pays one nil check.
func newRedactor(keys []string) *redactor {
	var ks []string
	for _, k := range keys {
		if k != "" {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return nil
	}
	return &redactor{keys: ks}
}

func (r *redactor) match(key string) bool {
	for _, k := range r.keys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// attr returns a redacted a and whether it differs from a. LogValuers are
// resolved so that a group they produce is searched too.
func (r *redactor) attr(a slog.Attr) (slog.Attr, bool) {
	if r.match(a.Key) {
		return slog.String(a.Key, redactedValue), true
	}
	changed := false
	if a.Value.Kind() == slog.KindLogValuer {
		a.Value, changed = a.Value.Resolve(), true
	}
	if a.Value.Kind() != slog.KindGroup {
		return a, changed
	}
	group := a.Value.Group()
	if out, ok := r.attrs(group); ok {
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}, true
	}
	return a, changed
}

// attrs returns as with redactions applied, and whether anything changed; as
// itself is never modified.
func (r *redactor) attrs(as []slog.Attr) ([]slog.Attr, bool) {
	var out []slog.Attr
	for i, a := range as {
		ra, changed := r.attr(a)
		if changed && out == nil {
			out = make([]slog.Attr, i, len(as))
			copy(out, as[:i])
		}
		if out != nil {
			out = append(out, ra)
		}
	}
	if out == nil {
		return as, false
	}
	return out, true
}

// record returns rec with redactions applied; it allocates only when an
// attribute is redacted or resolved.
func (r *redactor) record(rec slog.Record) slog.Record {
	var out []slog.Attr
	i := 0
	rec.Attrs(func(a slog.Attr) bool {
		ra, changed := r.attr(a)
		if changed && out == nil {
			out = make([]slog.Attr, 0, rec.NumAttrs())
			rec.Attrs(func(b slog.Attr) bool {
				if len(out) == i {
					return false
				}
				out = append(out, b)
				return true
			})
		}
		if out != nil {
			out = append(out, ra)
		}
		i++
		return true
	})
	if out == nil {
		return rec
	}
	nr := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	nr.AddAttrs(out...)
	return nr
}
