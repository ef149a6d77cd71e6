package logging

import (
	"context"
	"io"
	"log/slog"
	"math"
	"os"
	"sync/atomic"
	"time"
)

// handler is the slog.Handler returned by NewHandler. It is immutable:
// WithAttrs and WithGroup return clones that share the configuration and the
// underlying slog handler's mutex, so all clones write whole lines to w one at
// a time.
type handler struct {
	c *config
	// base is the slog JSON or text handler with only the handler-wide
	// attributes (sampling_rate); inner is base with this clone's WithAttrs
	// and WithGroup calls applied.
	base, inner slog.Handler
	// ops replays this clone's WithAttrs and WithGroup calls on top of base,
	// after the context fields, when the clone has a group open.
	ops     []op
	grouped bool
	// last caches inner with one invocation's context fields applied before
	// the groups, for grouped clones.
	last atomic.Pointer[prepared]
}

// op is one WithGroup (group != "") or WithAttrs call.
type op struct {
	group string
	attrs []slog.Attr
}

type prepared struct {
	src source
	h   slog.Handler
}

// NewHandler returns a slog.Handler that writes Lambda-shaped log lines to w,
// typically os.Stdout, stamped with the correlation fields of the invocation
// and span in each record's context. See the package documentation for the
// fields, the environment variables and their precedence.
//
// Environment variables are read once, here. An unparsable variable is
// ignored and reported through [WithConfigErrorHandler] (by default as a WARN
// line written by the new handler).
func NewHandler(w io.Writer, opts ...Option) slog.Handler {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	errs := c.resolve(os.Getenv)
	c.redact = newRedactor(c.redactKeys)

	ho := &slog.HandlerOptions{
		// The handler decides in Enabled; the slog handler accepts all.
		Level:       slog.Level(math.MinInt),
		ReplaceAttr: c.replace,
	}
	var base slog.Handler
	if c.format == FormatJSON {
		base = slog.NewJSONHandler(w, ho)
	} else {
		base = slog.NewTextHandler(w, ho)
	}
	if c.sampleRate > 0 {
		base = base.WithAttrs([]slog.Attr{slog.Float64(SamplingRateKey, c.sampleRate)})
	}
	h := &handler{c: c, base: base, inner: base}
	for _, err := range errs {
		if c.onConfigError != nil {
			c.onConfigError(err)
			continue
		}
		if h.Enabled(context.Background(), slog.LevelWarn) {
			r := slog.NewRecord(time.Now(), slog.LevelWarn, "logging: invalid environment variable ignored", 0)
			r.AddAttrs(slog.Any("error", err))
			_ = h.Handle(context.Background(), r)
		}
	}
	return h
}

// Enabled reports whether a record at level l is written: l is at least the
// minimum level, or the invocation in ctx is sampled for debug logging and l
// is at least DEBUG.
func (h *handler) Enabled(ctx context.Context, l slog.Level) bool {
	if l >= h.c.level.Level() {
		return true
	}
	return l >= slog.LevelDebug && h.c.sampleRate > 0 && sampled(requestID(ctx), h.c.sampleRate)
}

// Handle writes r with the context fields of ctx at the top level, outside
// any group opened with WithGroup. ctx is used only for its values.
func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	if h.c.redact != nil {
		r = h.c.redact.record(r)
	}
	src := lookup(ctx)
	if src.empty() {
		return h.inner.Handle(ctx, r)
	}
	var buf [maxFields]slog.Attr
	fields := h.c.appendFields(buf[:0], &src)
	if h.grouped {
		return h.prepare(&src, fields).Handle(ctx, r)
	}
	// No group is open: the fields can go in the record. Build a new record
	// rather than appending to r, whose attribute storage the caller may share.
	var all [maxFields + 8]slog.Attr
	as := append(all[:0], fields...)
	r.Attrs(func(a slog.Attr) bool {
		as = append(as, a)
		return true
	})
	nr := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	nr.AddAttrs(as...)
	return h.inner.Handle(ctx, nr)
}

// prepare returns base with fields applied, then this clone's ops, so the
// fields sit at the top level. The result for the last source is cached.
func (h *handler) prepare(src *source, fields []slog.Attr) slog.Handler {
	if p := h.last.Load(); p != nil && p.src == *src {
		return p.h
	}
	p := h.base.WithAttrs(append([]slog.Attr(nil), fields...))
	for _, o := range h.ops {
		if o.group != "" {
			p = p.WithGroup(o.group)
		} else {
			p = p.WithAttrs(o.attrs)
		}
	}
	h.last.Store(&prepared{src: *src, h: p})
	return p
}

// WithAttrs returns a clone that adds attrs to every record.
func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	if h.c.redact != nil {
		attrs, _ = h.c.redact.attrs(attrs)
	}
	h2 := h.clone()
	h2.ops = append(h2.ops, op{attrs: attrs})
	h2.inner = h.inner.WithAttrs(attrs)
	return h2
}

// WithGroup returns a clone that nests later attributes in group name. The
// context fields stay at the top level.
func (h *handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := h.clone()
	h2.ops = append(h2.ops, op{group: name})
	h2.grouped = true
	h2.inner = h.inner.WithGroup(name)
	return h2
}

func (h *handler) clone() *handler {
	return &handler{
		c:       h.c,
		base:    h.base,
		inner:   h.inner,
		ops:     h.ops[:len(h.ops):len(h.ops)],
		grouped: h.grouped,
	}
}
