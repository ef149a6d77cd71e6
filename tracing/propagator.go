package tracing

import (
	"context"

	"github.com/lumen-rt/lumen/invocation"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Names under which [Propagators] and [PropagatorsFromEnv] know the
// propagators of this package.
const (
	PropagatorXRay       = "xray"
	PropagatorXRayLambda = "xray-lambda"
)

var (
	_ propagation.TextMapPropagator = XRay{}
	_ propagation.TextMapPropagator = XRayLambda{}
)

// XRay propagates trace context in the X-Amzn-Trace-Id header.
//
// Extract parses the header (see [ParseHeader]); when it has a valid Root and
// Parent the result carries the remote span context, sampled only for
// Sampled=1. Whatever parses is also stored with [ContextWithHeader] so that
// Inject can forward the keys it does not interpret.
//
// Inject writes Root, Parent (the current span) and Sampled, followed by the
// extra keys (Lineage, …) of the header stored in ctx, verbatim and in
// order. This is where it differs from go.opentelemetry.io/contrib's X-Ray
// propagator, which drops them and with them Lambda's recursion detection.
type XRay struct{}

// Inject implements propagation.TextMapPropagator.
func (XRay) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	inject(ctx, carrier, false)
}

// Extract implements propagation.TextMapPropagator.
func (XRay) Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	return extract(ctx, getHeader(carrier))
}

// Fields implements propagation.TextMapPropagator.
func (XRay) Fields() []string { return []string{invocation.XRayHeaderName} }

// XRayLambda is the xray-lambda propagator of the OpenTelemetry AWS Lambda
// semantic conventions. It replaces, never accompanies, [XRay] in
// OTEL_PROPAGATORS, and is meant for functions that report to AWS X-Ray.
//
// Extract first extracts like XRay from the carrier. If ctx already held a
// valid span context, that result is returned. Otherwise the Lambda trace
// header of the invocation is extracted over it, taken from the
// [invocation.Info] in ctx (Lumen's runtime), else from aws-lambda-go's
// "x-amzn-trace-id" context value, else from _X_AMZN_TRACE_ID; the
// environment is consulted only when neither context source is present, as
// it is unset (or another invocation's) when invocations run concurrently.
//
// Inject behaves like XRay's, and when no header was stored in ctx it takes
// the extra keys from the invocation's Lambda trace header.
type XRayLambda struct{}

// Inject implements propagation.TextMapPropagator.
func (XRayLambda) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	inject(ctx, carrier, true)
}

// Extract implements propagation.TextMapPropagator.
func (XRayLambda) Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	xctx := extract(ctx, getHeader(carrier))
	if trace.SpanContextFromContext(ctx).IsValid() {
		return xctx
	}
	raw := lambdaTraceHeader(ctx)
	if raw == "" {
		return xctx
	}
	return extract(xctx, raw)
}

// Fields implements propagation.TextMapPropagator.
func (XRayLambda) Fields() []string { return []string{invocation.XRayHeaderName} }

// getHeader reads the header under its canonical name, then lower case for
// case-sensitive carriers built from API Gateway v2 or ALB events.
func getHeader(c propagation.TextMapCarrier) string {
	if v := c.Get(invocation.XRayHeaderName); v != "" {
		return v
	}
	return c.Get("x-amzn-trace-id")
}

func extract(ctx context.Context, raw string) context.Context {
	if raw == "" {
		return ctx
	}
	h, err := ParseHeader(raw)
	if err != nil {
		return ctx
	}
	ctx = ContextWithHeader(ctx, h)
	if sc := h.SpanContext(); sc.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, sc)
	}
	return ctx
}

func inject(ctx context.Context, carrier propagation.TextMapCarrier, lambda bool) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return
	}
	out := HeaderFromSpanContext(sc)
	if in, ok := HeaderFromContext(ctx); ok {
		out.Extra = in.Extra
	} else if lambda {
		if in, err := ParseHeader(lambdaTraceHeader(ctx)); err == nil {
			out.Extra = in.Extra
		}
	}
	carrier.Set(invocation.XRayHeaderName, out.String())
}
