package logging

import (
	"context"
	"log/slog"
	"os"
)

// policy is the slog.Handler returned by Wrap.
type policy struct {
	c         *config
	next      slog.Handler
	redactAll bool
}

var _ slog.Handler = (*policy)(nil)

// Wrap returns a handler that applies to next the policy [NewHandler]
// applies to its own lines: the minimum level (AWS_LAMBDA_LOG_LEVEL or
// [WithLevel]), per-invocation debug sampling ([WithSampleRate]) and
// redaction ([DefaultRedactKeys], [WithRedactKeys]). Records reach next
// otherwise unchanged: no key is renamed and no correlation field is added,
// so next can be any handler, for example the OpenTelemetry slog bridge
// teed with NewHandler through slog.NewMultiHandler.
//
// Options about the line's shape (WithFormat, WithReplaceAttr,
// WithFunctionName, WithFunctionMemorySize) have no effect. Unparsable
// environment variables are ignored and reported only to
// [WithConfigErrorHandler]: NewHandler already logs them.
func Wrap(next slog.Handler, opts ...Option) slog.Handler {
	c, errs := newConfig(os.Getenv, opts)
	if c.onConfigError != nil {
		for _, err := range errs {
			c.onConfigError(err)
		}
	}
	return &policy{c: c, next: next}
}

// Enabled reports whether the policy lets level l through and next is
// enabled for it.
func (p *policy) Enabled(ctx context.Context, l slog.Level) bool {
	return p.c.enabled(ctx, l) && p.next.Enabled(ctx, l)
}

// Handle redacts r and passes it to next.
func (p *policy) Handle(ctx context.Context, r slog.Record) error {
	if p.c.redact != nil {
		r = p.c.redact.record(r, p.redactAll)
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
