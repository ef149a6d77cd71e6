package logging

import (
	"context"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// inFlight is the invocation a line without one of its own is attributed to,
// set by SetCurrent; nil outside an invocation and whenever several
// invocations may run at once.
var inFlight atomic.Pointer[current]

// current is one invocation in flight, as read from its handler context
// once, when it was set: the fields lines are stamped with, and a detached
// context for the handlers behind Wrap. Nothing in it refers to the
// runtime's structures, which the runtime reuses for the next invocation
// while a line logged just before ClearCurrent may still be on its way.
type current struct {
	src  source
	info invocation.Info
	ctx  context.Context // info and the span, on context.Background()
}

// newCurrent copies what lines need from ctx, which carries an invocation
// or a span (src).
func newCurrent(ctx context.Context, src source) *current {
	c := &current{src: src}
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		c.info = *info
	} else if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
		c.info.Lambda = *lc
	}
	// The client context's maps may be refilled in place for the next
	// invocation: leave them out.
	c.info.Lambda.ClientContext.Env, c.info.Lambda.ClientContext.Custom = nil, nil
	if c.info.XRay.Root == "" { // not parsed by a runtime: parse it here, once
		if h, ok := invocation.XRayFromContext(ctx); ok {
			c.info.XRay = h
		}
	}
	c.ctx = context.Background()
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		c.ctx = trace.ContextWithSpanContext(c.ctx, sc)
	}
	if src.inInvocation {
		c.ctx = invocation.NewContext(c.ctx, &c.info)
	}
	return c
}

// SetCurrent makes the invocation and span in ctx the ones that lines logged
// without them are attributed to, until [ClearCurrent] or the next
// SetCurrent. Such lines are those of the standard log package (slog's
// bridge hands them to the handler with context.Background()) and of slog's
// functions without a context (slog.Info rather than slog.InfoContext). A
// line whose context carries an invocation or a span of its own keeps its
// own. A ctx carrying neither clears the current invocation.
//
// SetCurrent is for a runtime, which calls it with the handler's context
// before calling the handler and ClearCurrent once the invocation is over.
// It must do so only while a single invocation runs at a time (Lumen's
// runtime: AWS_LAMBDA_MAX_CONCURRENCY unset or 1): with several in flight, a
// line without a context could belong to any of them, so it is written
// without invocation fields rather than with another invocation's. Even at
// concurrency 1, a goroutine that outlives its invocation and logs without a
// context during the next one gets the next one's fields, as it would read
// the next one's _X_AMZN_TRACE_ID.
//
// The values of ctx are read once, here, and copied: the runtime may reuse
// the structures behind them for the next invocation. A handler behind
// [Wrap] receives, for a line without an invocation or span of its own, a
// context holding that copy (an [invocation.Info] without the client
// context's Env and Custom maps) and the span's ids, not ctx itself.
//
// It is safe to call concurrently with logging: a line sees either the
// previous invocation or the new one, never a mix. Logging pays one atomic
// load for it, and nothing more while no invocation is current.
func SetCurrent(ctx context.Context) {
	if ctx == nil {
		inFlight.Store(nil)
		return
	}
	src := lookup(ctx)
	if src.empty() {
		inFlight.Store(nil)
		return
	}
	inFlight.Store(newCurrent(ctx, src))
}

// ClearCurrent ends what [SetCurrent] started: lines logged without an
// invocation of their own carry no invocation fields again.
func ClearCurrent() {
	inFlight.Store(nil)
}

// carries reports whether ctx holds an invocation or a valid span of its
// own, as lookup would find them.
func carries(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		return true
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
		return true
	}
	return trace.SpanContextFromContext(ctx).IsValid()
}

// sampleID returns the request id that decides whether a line logged with
// ctx is sampled: the invocation in ctx; else, if ctx carries no span
// either, the current invocation ([SetCurrent]); else "".
func sampleID(ctx context.Context) string {
	if ctx != nil {
		if info, ok := invocation.FromContext(ctx); ok && info != nil {
			return info.Lambda.AwsRequestID
		}
		if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
			return lc.AwsRequestID
		}
		if trace.SpanContextFromContext(ctx).IsValid() {
			return ""
		}
	}
	if cur := inFlight.Load(); cur != nil {
		return cur.src.requestID
	}
	return ""
}
