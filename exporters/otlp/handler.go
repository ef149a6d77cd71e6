package otlp

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/logging"
)

// handler is the slog.Handler of a LogExporter. It is immutable: WithAttrs
// and WithGroup return new handlers sharing the exporter.
type handler struct {
	e *LogExporter
	// prefix is the open groups joined with dots ("req.headers"), the
	// prefix of every attribute key of a record.
	prefix string
	// attrs are the attributes of WithAttrs, encoded as LogRecord
	// attributes fields.
	attrs []byte
}

var _ slog.Handler = (*handler)(nil)

// Enabled returns true: the level policy is logging.Wrap's.
func (h *handler) Enabled(context.Context, slog.Level) bool { return true }

// Handle encodes r into the exporter's pending request: the time, the
// observed time, the severity (number and Lambda's level name), the
// message as body, the handler's and the record's attributes, the trace
// context of the span in ctx (else the trace id of the invocation's X-Ray
// header), and the invocation's request id, cold start and invoked ARN.
// A record over the exporter's bounds is dropped and counted. It never
// returns an error.
func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	bp := h.e.scratch.Get().(*[]byte)
	rec := otlpwire.LogRecord{
		Time:         otlpwire.UnixNano(r.Time),
		Observed:     otlpwire.UnixNano(time.Now()),
		Severity:     severity(r.Level),
		SeverityText: logging.LevelName(r.Level),
		Body:         r.Message,
	}
	inv := correlate(ctx, &rec)
	b, start := otlpwire.OpenLogRecord((*bp)[:0], &rec)
	b = append(b, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		b = otlpwire.AppendSlogAttr(b, otlpwire.LogAttributes, h.prefix, a)
		return true
	})
	b = inv.append(b)
	b = otlpwire.Close(b, start)
	h.e.add(b)
	*bp = b
	if cap(b) <= maxScratch {
		h.e.scratch.Put(bp)
	}
	return nil
}

// maxScratch is the largest encoding buffer kept for reuse.
const maxScratch = 64 << 10

// WithAttrs returns a handler whose records carry attrs, encoded once
// here.
func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := *h
	h2.attrs = slices.Clip(h.attrs)
	for _, a := range attrs {
		h2.attrs = otlpwire.AppendSlogAttr(h2.attrs, otlpwire.LogAttributes, h.prefix, a)
	}
	return &h2
}

// WithGroup returns a handler whose later attributes are under name.
func (h *handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = otlpwire.JoinKey(h.prefix, name)
	return &h2
}

// severity returns the OpenTelemetry severity number of l: slog's levels
// sit 9 below it (DEBUG is 5, INFO 9, WARN 13, ERROR 17), so Lambda's
// TRACE (DEBUG-4) is 1 and FATAL (ERROR+4) is 21; levels beyond are
// clamped to 1 and 24.
func severity(l slog.Level) int32 {
	return int32(min(max(int(l)+9, 1), 24)) //nolint:gosec // Clamped.
}
