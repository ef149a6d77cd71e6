package tracing

import (
	"context"
	"os"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// EnvTraceID is the environment variable through which Lambda exposes the
// trace header when one invocation runs at a time. With
// AWS_LAMBDA_MAX_CONCURRENCY above 1 it is not set; the header travels in
// the context instead.
const EnvTraceID = "_X_AMZN_TRACE_ID"

// lambdaContextKey is the context key aws-lambda-go (and Lumen's runtime, for
// compatibility with aws-xray-sdk-go) store the raw trace header under.
const lambdaContextKey = "x-amzn-trace-id"

type headerKey struct{}

// ContextWithHeader returns a copy of ctx that carries h. The [XRay] and
// [XRayLambda] propagators store the header they extract this way, and their
// Inject copies its extra keys (Lineage, …) into the outgoing header, so
// Lambda's recursive-loop detection keeps working across hops.
func ContextWithHeader(ctx context.Context, h invocation.XRayHeader) context.Context {
	return context.WithValue(ctx, headerKey{}, h)
}

// HeaderFromContext returns the header stored by [ContextWithHeader].
func HeaderFromContext(ctx context.Context) (invocation.XRayHeader, bool) {
	h, ok := ctx.Value(headerKey{}).(invocation.XRayHeader)
	return h, ok
}

// lambdaTraceHeader returns the raw trace header of the invocation ctx belongs
// to. The sources, in order:
//
//  1. the [invocation.Info] Lumen's runtime stores (authoritative when
//     present, even if empty: the environment may be stale or belong to
//     another concurrent invocation);
//  2. the "x-amzn-trace-id" context value aws-lambda-go stores;
//  3. the _X_AMZN_TRACE_ID environment variable.
func lambdaTraceHeader(ctx context.Context) string {
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		return info.TraceHeader
	}
	if v, ok := TraceHeaderFromContext(ctx); ok {
		return v
	}
	return os.Getenv(EnvTraceID)
}

// ContextWithRemoteParent returns a copy of ctx whose span context is the
// remote parent h names (trace id from Root, span id from Parent, sampled
// only for Sampled=1), so that the invocation span started from it is a
// child of Lambda's function segment. h is stored too ([ContextWithHeader]):
// [Sampler] reads a deferred decision (Sampled=?) from it and the [XRay]
// propagators forward its Lineage. Without a valid Root and Parent only h is
// stored.
func ContextWithRemoteParent(ctx context.Context, h invocation.XRayHeader) context.Context {
	ctx = ContextWithHeader(ctx, h)
	if sc := h.SpanContext(); sc.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, sc)
	}
	return ctx
}

// ContextWithTraceHeader returns a copy of ctx carrying the raw trace header
// under the "x-amzn-trace-id" key, the way aws-lambda-go does, so that
// aws-xray-sdk-go (its Lambda facade segment) and other code written for
// aws-lambda-go find it.
func ContextWithTraceHeader(ctx context.Context, raw string) context.Context {
	//lint:ignore SA1029 aws-lambda-go's documented key is a plain string.
	return context.WithValue(ctx, lambdaContextKey, raw)
}

// TraceHeaderFromContext returns the raw trace header of the invocation ctx
// belongs to: from the [invocation.Info] Lumen's runtime stores, else from
// aws-lambda-go's "x-amzn-trace-id" value. It never reads _X_AMZN_TRACE_ID.
func TraceHeaderFromContext(ctx context.Context) (string, bool) {
	if info, ok := invocation.FromContext(ctx); ok && info != nil {
		return info.TraceHeader, info.TraceHeader != ""
	}
	//nolint:staticcheck // aws-lambda-go's documented key is a plain string.
	v, ok := ctx.Value(lambdaContextKey).(string)
	return v, ok && v != ""
}
