package invocation

import (
	"encoding/hex"

	"go.opentelemetry.io/otel/trace"
)

// rootLen is the length of an X-Ray Root: "1-" + 8 hex + "-" + 24 hex.
const rootLen = 35

// TraceIDFromRoot converts an X-Ray Root (1-5759e988-bd862e3fe1be46a994272793)
// to an OpenTelemetry trace id (5759e988bd862e3fe1be46a994272793). It returns
// an error wrapping [ErrInvalidRoot] if root is not a valid X-Ray trace id.
func TraceIDFromRoot(root string) (trace.TraceID, error) {
	var id trace.TraceID
	if !validRoot(root) {
		return id, parseErr(KeyRoot, root, ErrInvalidRoot)
	}
	// validRoot guarantees lower-case hex of the right lengths.
	_, _ = hex.Decode(id[:4], []byte(root[2:10]))
	_, _ = hex.Decode(id[4:], []byte(root[11:]))
	return id, nil
}

// RootFromTraceID formats an OpenTelemetry trace id as an X-Ray Root. The
// first four bytes become the epoch part, so ids from [IDGenerator] are
// accepted by X-Ray; other ids still format, but X-Ray rejects roots whose
// epoch is more than 30 days old.
func RootFromTraceID(id trace.TraceID) string {
	var b [rootLen]byte
	b[0], b[1], b[10] = '1', '-', '-'
	hex.Encode(b[2:10], id[:4])
	hex.Encode(b[11:], id[4:])
	return string(b[:])
}

// SpanIDFromParent converts an X-Ray Parent (16 hex digits) to an
// OpenTelemetry span id. It returns an error wrapping [ErrInvalidParent] if
// parent is not valid.
func SpanIDFromParent(parent string) (trace.SpanID, error) {
	var id trace.SpanID
	if !validParent(parent) {
		return id, parseErr(KeyParent, parent, ErrInvalidParent)
	}
	_, _ = hex.Decode(id[:], []byte(parent))
	return id, nil
}

// ParentFromSpanID formats an OpenTelemetry span id as an X-Ray Parent.
func ParentFromSpanID(id trace.SpanID) string {
	return id.String()
}

// SpanContext returns the remote span context h describes: trace id from
// Root, span id from Parent, and the sampled flag set only for Sampled=1
// (Sampled=? is a request to decide, not a decision, so it is unsampled).
// The result is invalid (IsValid reports false) when h has no valid Root or
// Parent; a header without Parent names a trace but no parent to attach to.
func (h XRayHeader) SpanContext() trace.SpanContext {
	tid, err := TraceIDFromRoot(h.Root)
	if err != nil {
		return trace.SpanContext{}
	}
	sid, err := SpanIDFromParent(h.Parent)
	if err != nil {
		return trace.SpanContext{}
	}
	var flags trace.TraceFlags
	if h.Sampled == SamplingSampled {
		flags = trace.FlagsSampled
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    tid,
		SpanID:     sid,
		TraceFlags: flags,
		Remote:     true,
	})
}

// XRayHeaderFromSpanContext returns the X-Ray header for sc: Root from the trace
// id, Parent from the span id and Sampled=1 or Sampled=0 from the sampled
// flag. It returns the zero XRayHeader if sc is invalid.
func XRayHeaderFromSpanContext(sc trace.SpanContext) XRayHeader {
	if !sc.IsValid() {
		return XRayHeader{}
	}
	s := SamplingNotSampled
	if sc.IsSampled() {
		s = SamplingSampled
	}
	return XRayHeader{
		Root:    RootFromTraceID(sc.TraceID()),
		Parent:  ParentFromSpanID(sc.SpanID()),
		Sampled: s,
	}
}
