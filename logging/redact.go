package logging

import (
	"log/slog"
)

// RedactedValue replaces the value of a redacted attribute.
const RedactedValue = "[REDACTED]"

// defaultRedactKeys is what DefaultRedactKeys returns copies of.
var defaultRedactKeys = []string{
	"password", "passwords", "passwd", "passphrase", "secret", "secrets", "token", "authorization",
	"apikey", "cookie", "credential", "credentials", "privatekey", "secretaccesskey",
}

// DefaultRedactKeys returns the key words redacted unless
// [WithoutDefaultRedaction] is given: password, passwords, passwd,
// passphrase, secret, secrets, token, authorization, apikey, cookie, credential, credentials, privatekey
// and secretaccesskey. A key matches a word when, ignoring ASCII case and the
// separators '-', '_', '.' and ' ', it ends with the word: "password" matches
// "DB_PASSWORD" and "db.password", "token" matches "access_token" and
// "X-Amz-Security-Token" but not "tokens_used", "apikey" matches "x-api-key".
func DefaultRedactKeys() []string {
	return append([]string(nil), defaultRedactKeys...)
}

// redactor replaces the values of attributes whose keys it matches.
type redactor struct {
	// byLast holds the words, lower-case and free of separators, indexed by
	// their last byte, so most keys are rejected after one lookup.
	byLast [256][]string
}

// newRedactor returns nil when there is nothing to redact, so the hot path
// pays one nil check.
func newRedactor(keys []string) *redactor {
	r := &redactor{}
	n := 0
	for _, k := range keys {
		if w := normalize(k); w != "" {
			last := w[len(w)-1]
			r.byLast[last] = append(r.byLast[last], w)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return r
}

// normalize lower-cases k and drops its separators.
func normalize(k string) string {
	b := make([]byte, 0, len(k))
	for i := 0; i < len(k); i++ {
		c := k[i]
		if isSeparator(c) {
			continue
		}
		b = append(b, lower(c))
	}
	return string(b)
}

func isSeparator(c byte) bool { return c == '-' || c == '_' || c == '.' || c == ' ' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// match reports whether key ends with one of the words, ignoring ASCII case
// and separators. It does not allocate.
func (r *redactor) match(key string) bool {
	i := len(key) - 1
	for i >= 0 && isSeparator(key[i]) {
		i--
	}
	if i < 0 {
		return false
	}
	for _, w := range r.byLast[lower(key[i])] {
		if hasSuffixFold(key, w) {
			return true
		}
	}
	return false
}

// hasSuffixFold compares key backwards against the normalized word w,
// skipping separators in key.
func hasSuffixFold(key, w string) bool {
	i, j := len(key)-1, len(w)-1
	for j >= 0 {
		for i >= 0 && isSeparator(key[i]) {
			i--
		}
		if i < 0 || lower(key[i]) != w[j] {
			return false
		}
		i--
		j--
	}
	return true
}

// attr returns a redacted a and whether it differs from a. LogValuers are
// resolved so that a group they produce is searched too. With all set, the
// attribute sits in a group whose own key matched: every value is redacted.
func (r *redactor) attr(a slog.Attr, all bool) (slog.Attr, bool) {
	if a.Key != "" && (all || r.match(a.Key)) {
		return slog.String(a.Key, RedactedValue), true
	}
	changed := false
	if a.Value.Kind() == slog.KindLogValuer {
		a.Value, changed = a.Value.Resolve(), true
	}
	if a.Value.Kind() != slog.KindGroup {
		return a, changed
	}
	if out, ok := r.attrs(a.Value.Group(), all); ok {
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}, true
	}
	return a, changed
}

// attrs returns as with redactions applied, and whether anything changed; as
// itself is never modified.
func (r *redactor) attrs(as []slog.Attr, all bool) ([]slog.Attr, bool) {
	var out []slog.Attr
	for i, a := range as {
		ra, changed := r.attr(a, all)
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
// attribute is redacted or resolved. rec is never modified.
func (r *redactor) record(rec slog.Record, all bool) slog.Record {
	var out []slog.Attr
	i := 0
	rec.Attrs(func(a slog.Attr) bool {
		ra, changed := r.attr(a, all)
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
