package logging_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// BenchmarkHandler measures one INFO line with three attributes, the cost a
// function pays per log call, against slog's own JSONHandler (which writes
// no correlation field, whatever the context).
func BenchmarkHandler(b *testing.B) {
	inv, _ := invocationCtx(1)
	ctxs := []struct {
		name    string
		ctx     context.Context
		current context.Context // SetCurrent during the run
	}{
		{"no-invocation", context.Background(), nil},
		{"invocation", inv, nil},
		// A line without a context while an invocation is current: a
		// log.Printf or slog.Info at concurrency 1.
		{"current-invocation", context.Background(), inv},
	}
	handlers := []struct {
		name string
		h    func() slog.Handler
	}{
		{"slog.JSONHandler", func() slog.Handler { return slog.NewJSONHandler(io.Discard, nil) }},
		{"JSON", func() slog.Handler { return logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON)) }},
		{"JSON-no-redaction", func() slog.Handler {
			return logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON), logging.WithoutDefaultRedaction())
		}},
		{"JSON-grouped", func() slog.Handler {
			return logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON)).WithGroup("g")
		}},
		{"Text", func() slog.Handler { return logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatText)) }},
		{"JSON-filtered-debug", nil},
	}
	for _, hc := range handlers {
		for _, cc := range ctxs {
			b.Run(hc.name+"/"+cc.name, func(b *testing.B) {
				ctx := cc.ctx
				if cc.current != nil {
					logging.SetCurrent(cc.current)
					defer logging.ClearCurrent()
				}
				if hc.h == nil {
					// A DEBUG line below the level: the cost of a disabled call.
					l := slog.New(logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON)))
					b.ReportAllocs()
					for b.Loop() {
						l.LogAttrs(ctx, slog.LevelDebug, "charged", slog.Int("amount", 42), slog.String("currency", "EUR"), slog.Bool("ok", true))
					}
					return
				}
				l := slog.New(hc.h())
				b.ReportAllocs()
				for b.Loop() {
					l.LogAttrs(ctx, slog.LevelInfo, "charged", slog.Int("amount", 42), slog.String("currency", "EUR"), slog.Bool("ok", true))
				}
			})
		}
	}
}

// BenchmarkHandlerAlternatingInvocations measures the worst case of the
// per-invocation field cache: every line from another invocation than the
// previous one, as with concurrent invocations sharing a logger.
func BenchmarkHandlerAlternatingInvocations(b *testing.B) {
	inv1, _ := invocationCtx(1)
	inv2, _ := invocationCtx(2)
	l := slog.New(logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ctx := inv1
		if i++; i%2 == 0 {
			ctx = inv2
		}
		l.LogAttrs(ctx, slog.LevelInfo, "charged", slog.Int("amount", 42), slog.String("currency", "EUR"), slog.Bool("ok", true))
	}
}

// BenchmarkLogPackage measures one line of the standard log package while an
// invocation is current, through the bridge slog.SetDefault installs (an
// INFO record made from the formatted line) and the JSON handler.
func BenchmarkLogPackage(b *testing.B) {
	inv, _ := invocationCtx(1)
	std := slog.NewLogLogger(logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON)), slog.LevelInfo)
	logging.SetCurrent(inv)
	defer logging.ClearCurrent()
	b.ReportAllocs()
	for b.Loop() {
		std.Printf("charged %d %s", 42, "EUR")
	}
}

// BenchmarkSetCurrent measures what the runtime pays per invocation at
// concurrency 1 to declare the invocation in flight and clear it.
func BenchmarkSetCurrent(b *testing.B) {
	// The runtime's context: the X-Ray header parsed once, by the runtime.
	info := newInfo(1, false)
	var err error
	info.XRay, err = invocation.ParseXRayHeader(info.TraceHeader)
	if err != nil {
		b.Fatal(err)
	}
	inv, _ := withSpan(invocation.NewContext(context.Background(), info), 1)
	b.ReportAllocs()
	for b.Loop() {
		logging.SetCurrent(inv)
		logging.ClearCurrent()
	}
}

// BenchmarkHandlerNewInvocationEachLine measures a function that logs one
// line per invocation: every line's fields are those of an invocation not
// seen before, so no cached encoding of them can be reused.
func BenchmarkHandlerNewInvocationEachLine(b *testing.B) {
	const n = 1024
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		// The runtime's contexts: the X-Ray header parsed once, by the
		// runtime.
		info := newInfo(i+1, false)
		var err error
		info.XRay, err = invocation.ParseXRayHeader(info.TraceHeader)
		if err != nil {
			b.Fatal(err)
		}
		ctxs[i], _ = withSpan(invocation.NewContext(context.Background(), info), i+1)
	}
	l := slog.New(logging.NewHandler(io.Discard, logging.WithFormat(logging.FormatJSON)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l.LogAttrs(ctxs[i%n], slog.LevelInfo, "charged", slog.Int("amount", 42), slog.String("currency", "EUR"), slog.Bool("ok", true))
		i++
	}
}
