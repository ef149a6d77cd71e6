package logging

import (
	"context"
	"log/slog"
)

// policy is the slog.Handler returned by Wrap.
type policy struct {
	c         *config
	next      slog.Handler
	redactAll bool
}

var _ slog.Handler = (*policy)(nil)

// Wrap returns a handler that applies to next the policy [NewHandler]
// applies to its own lines: the minimum level ([WithLevel]), per-invocation
// debug sampling ([WithSampleRate]) and redaction ([DefaultRedactKeys],
// [WithRedactKeys]). Records reach next otherwise unchanged: no key is
// renamed and no correlation field is added, so next can be any handler, for
// example the OpenTelemetry slog bridge teed with NewHandler through
// slog.NewMultiHandler. A record logged without an invocation or span of its
// own reaches next with the current invocation's context ([SetCurrent]), so
// that a bridge finds the span there.
//
// Like NewHandler, it reads no environment variable. Options about the
// line's shape (WithFormat, WithReplaceAttr, WithService, WithFunctionName,
// WithFunctionMemorySize) have no effect.
func Wrap(next slog.Handler, opts ...Option) slog.Handler {
	return &policy{c: newConfig(opts), next: next}
}

// Enabled reports whether the policy lets level l through and next is
// enabled for it.
func (p *policy) Enabled(ctx context.Context, l slog.Level) bool {
	return p.c.enabled(ctx, l) && p.next.Enabled(ctx, l)
}

// Handle redacts r and passes it to next, with the current invocation's
// context when ctx carries no invocation or span of its own.
func (p *policy) Handle(ctx context.Context, r slog.Record) error {
	if p.c.redact != nil {
		r = p.c.redact.record(r, p.redactAll)
	}
	if cur := inFlight.Load(); cur != nil && !carries(ctx) {
		ctx = cur.ctx
	}
	return p.next.Handle(ctx, r)
}

// WithAttrs returns a clone whose next has the redacted attrs.
func (p *policy) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return p
	}
	if p.c.redact != nil {
		attrs, _ = p.c.redact.attrs(attrs, p.redactAll)
	}
	return &policy{c: p.c, next: p.next.WithAttrs(attrs), redactAll: p.redactAll}
}

// WithGroup returns a clone whose next has group name open.
func (p *policy) WithGroup(name string) slog.Handler {
	if name == "" {
		return p
	}
	all := p.redactAll || (p.c.redact != nil && p.c.redact.match(name))
	return &policy{c: p.c, next: p.next.WithGroup(name), redactAll: all}
}
