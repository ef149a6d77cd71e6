package tracing

import (
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

var _ sdktrace.Sampler = headerSampler{}

// Sampler returns Lumen's default sampler: it honours the decision of the
// X-Ray trace header and leaves to root only what the header left open.
//
//   - Sampled=1: the span is sampled (a sampled remote parent).
//   - Sampled=0: the span is dropped, with all its children: Lambda's
//     PassThrough mode sends Sampled=0 for requests upstream did not sample.
//   - Sampled=? or no Sampled key: upstream asked the receiver to decide,
//     so root decides.
//   - no parent at all: root decides (root nil means always sample).
//
// Everything else is sdktrace.ParentBased(root). It recognises a deferred
// decision by the [Header] that [ContextWithRemoteParent] or the [XRay]
// propagators store next to the remote span context.
func Sampler(root sdktrace.Sampler) sdktrace.Sampler {
	if root == nil {
		root = sdktrace.AlwaysSample()
	}
	return headerSampler{root: root, parentBased: sdktrace.ParentBased(root)}
}

type headerSampler struct {
	root, parentBased sdktrace.Sampler
}

// ShouldSample implements sdktrace.Sampler.
func (s headerSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	psc := trace.SpanContextFromContext(p.ParentContext)
	if psc.IsValid() && psc.IsRemote() && !psc.IsSampled() {
		if h, ok := HeaderFromContext(p.ParentContext); ok &&
			(h.Sampled == SamplingRequested || h.Sampled == SamplingAbsent) && sameSpan(h, psc) {
			return s.root.ShouldSample(p)
		}
	}
	return s.parentBased.ShouldSample(p)
}

// Description implements sdktrace.Sampler.
func (s headerSampler) Description() string {
	return "XRayHeaderBased{root:" + s.root.Description() + "}"
}

// sameSpan reports whether h names the span context sc, so a header left in
// the context by an earlier extraction does not decide for another parent.
func sameSpan(h invocation.XRayHeader, sc trace.SpanContext) bool {
	hsc := h.SpanContext()
	return hsc.TraceID() == sc.TraceID() && hsc.SpanID() == sc.SpanID()
}
