package logging

import (
	"context"
	"io"
	"log/slog"
	"math"
	"sync/atomic"
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
	// after the context fields.
	ops []op
	// redactAll is set inside a WithGroup whose name is redacted: every
	// attribute logged there is redacted.
	redactAll bool
	// cache holds inner with one invocation's context fields applied first,
	// for the last few invocations and spans, in slots chosen by slot.
	cache [cacheSlots]atomic.Pointer[prepared]
}

var _ slog.Handler = (*handler)(nil)

// op is one WithGroup (group != "") or WithAttrs call.
type op struct {
	group string
	attrs []slog.Attr
}

// cacheSlots is the number of invocations and spans whose encoded fields a
// handler keeps; with several invocations in flight, each mostly finds its
// own slot.
const cacheSlots = 8

// slot picks the cache slot of s from bytes that differ between invocations
// and spans: the last byte of the span id and of the request id.
func (s *source) slot() int {
	b := s.spanID[len(s.spanID)-1]
	if n := len(s.requestID); n > 0 {
		b += s.requestID[n-1]
	}
	return int(b) % cacheSlots
}

// prepared is a cache slot's content: the source of the last line written
// there and, once a second line of it came, the handler prepare made for it.
type prepared struct {
	src source
	h   slog.Handler // nil after the source's first line
}

// NewHandler returns a slog.Handler that writes Lambda-shaped log lines to w,
// typically os.Stdout, stamped with the correlation fields of the invocation
// and span in each record's context, or else of the invocation in flight
// ([SetCurrent]). See the package documentation for the fields.
//
// It is configured by its options only and reads no environment variable;
// telemetry.Env.LoggingOptions turns Lambda's and Powertools' variables into
// options. Defaults: Text format (Lambda's when AWS_LAMBDA_LOG_FORMAT is
// unset), INFO level, no debug sampling, [DefaultRedactKeys] redacted, no
// service, function_name or function_memory_size field.
func NewHandler(w io.Writer, opts ...Option) slog.Handler {
	c := newConfig(opts)
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
	var global []slog.Attr
	if c.service != "" {
		global = append(global, slog.String(ServiceKey, c.service))
	}
	if c.sampleRate > 0 {
		global = append(global, slog.Float64(SamplingRateKey, c.sampleRate))
	}
	if len(global) > 0 {
		base = base.WithAttrs(global)
	}
	return &handler{c: c, base: base, inner: base}
}

// Enabled reports whether a record at level l is written: l is at least the
// minimum level, or the line's invocation (the one in ctx, else the current
// one) is sampled for debug logging and l is at least DEBUG.
func (h *handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.c.enabled(ctx, l)
}

// Handle writes r with the context fields of ctx at the top level, outside
// any group opened with WithGroup and before the attributes added with
// WithAttrs. When ctx carries neither an invocation nor a span, the fields
// are those of the current invocation ([SetCurrent]), if any. ctx is used
// only for its values; r is not modified.
func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	if h.c.redact != nil {
		r = h.c.redact.record(r, h.redactAll)
	}
	src := lookup(ctx)
	if src.empty() {
		cur := inFlight.Load()
		if cur == nil {
			return h.inner.Handle(ctx, r)
		}
		src = cur.src
	}
	slot := &h.cache[src.slot()]
	if p := slot.Load(); p != nil && p.src == src {
		if p.h == nil {
			// The second line of this invocation and span: encode the
			// fields once for it and every later one.
			p = &prepared{src: src, h: h.prepare(&src)}
			slot.Store(p)
		}
		return p.h.Handle(ctx, r)
	}
	if len(h.ops) > 0 {
		p := &prepared{src: src, h: h.prepare(&src)}
		slot.Store(p)
		return p.h.Handle(ctx, r)
	}
	// The first line of an invocation and span, and most functions log
	// one or two per invocation: the fields go into a copy of the record,
	// ahead of its own attributes, costing far less than encoding them
	// into a handler of their own. The slot remembers the source, so that
	// a second line prepares that handler.
	slot.Store(&prepared{src: src})
	var buf [maxFields + 8]slog.Attr
	attrs := h.c.appendFields(buf[:0], &src)
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	r2 := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r2.AddAttrs(attrs...)
	return h.inner.Handle(ctx, r2)
}

// prepare returns base with the context fields of src applied, then this
// clone's WithAttrs and WithGroup calls, so the fields sit at the top level,
// before the logger's own attributes. Handle caches the result for the last
// few sources, so that a function logging several lines per invocation pays
// for the fields' encoding once.
func (h *handler) prepare(src *source) slog.Handler {
	var buf [maxFields]slog.Attr
	fields := h.c.appendFields(buf[:0], src)
	p := h.base.WithAttrs(append([]slog.Attr(nil), fields...))
	for _, o := range h.ops {
		if o.group != "" {
			p = p.WithGroup(o.group)
		} else {
			p = p.WithAttrs(o.attrs)
		}
	}
	return p
}

// WithAttrs returns a clone that adds attrs to every record.
func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	if h.c.redact != nil {
		attrs, _ = h.c.redact.attrs(attrs, h.redactAll)
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
	h2.redactAll = h.redactAll || (h.c.redact != nil && h.c.redact.match(name))
	h2.inner = h.inner.WithGroup(name)
	return h2
}

func (h *handler) clone() *handler {
	return &handler{
		c:         h.c,
		base:      h.base,
		inner:     h.inner,
		ops:       h.ops[:len(h.ops):len(h.ops)],
		redactAll: h.redactAll,
	}
}
