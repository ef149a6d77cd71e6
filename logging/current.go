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

// current is one invocation in flight: its handler context, and the fields
// read from it once, when it was set.
type current struct {
	ctx context.Context
	src source
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
	inFlight.Store(&current{ctx: ctx, src: src})
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
