package otlpwire

import (
	"slices"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/encoding/protowire"
)

// Fields of opentelemetry.proto.trace.v1 messages.
const (
	spanTraceID       protowire.Number = 1
	spanSpanID        protowire.Number = 2
	spanTraceState    protowire.Number = 3
	spanParentSpanID  protowire.Number = 4
	spanName          protowire.Number = 5
	spanKind          protowire.Number = 6
	spanStart         protowire.Number = 7
	spanEnd           protowire.Number = 8
	spanAttributes    protowire.Number = 9
	spanDroppedAttrs  protowire.Number = 10
	spanEvents        protowire.Number = 11
	spanDroppedEvents protowire.Number = 12
	spanLinks         protowire.Number = 13
	spanDroppedLinks  protowire.Number = 14
	spanStatus        protowire.Number = 15
	spanFlags         protowire.Number = 16

	statusMessage protowire.Number = 2
	statusCode    protowire.Number = 3

	eventTime         protowire.Number = 1
	eventName         protowire.Number = 2
	eventAttributes   protowire.Number = 3
	eventDroppedAttrs protowire.Number = 4

	linkTraceID      protowire.Number = 1
	linkSpanID       protowire.Number = 2
	linkTraceState   protowire.Number = 3
	linkAttributes   protowire.Number = 4
	linkDroppedAttrs protowire.Number = 5
	linkFlags        protowire.Number = 6
)

// The bits of Span.flags and Link.flags above the W3C trace flags: whether
// the parent (or linked) span context is known to be remote or not, and
// whether it is.
const (
	flagHasIsRemote uint32 = 0x100
	flagIsRemote    uint32 = 0x200
)

// OTLP status codes.
const (
	statusOK    = 1
	statusError = 2
)

// maxScopes bounds the encoded scopes a [Traces] keeps.
const maxScopes = 64

// Traces encodes ExportTraceServiceRequest messages. It keeps the encoded
// resource and instrumentation scopes from one request to the next. It is
// not safe for concurrent use; its zero value is ready.
type Traces struct {
	resources []*Resource
	scopes    []*Scope
	done      []bool
}

// NewTraces returns a Traces that starts with res encoded.
func NewTraces(res *resource.Resource) *Traces {
	return &Traces{resources: []*Resource{NewResource(res)}}
}

// Append appends to b the body of an ExportTraceServiceRequest holding
// spans, grouped by resource, then by instrumentation scope, in the order
// each group first appears. It returns the number of spans encoded: nil
// spans are skipped.
func (e *Traces) Append(b []byte, spans []sdktrace.ReadOnlySpan) ([]byte, int) {
	e.done = slices.Grow(e.done[:0], len(spans))[:len(spans)]
	for i, s := range spans {
		e.done[i] = s == nil
	}
	n := 0
	for i, s := range spans {
		if e.done[i] {
			continue
		}
		res := s.Resource()
		var rs int
		b, rs = Open(b, requestResource)
		b = e.resource(res).appendHead(b)
		for j := i; j < len(spans); j++ {
			if e.done[j] || !sameResource(spans[j].Resource(), res) {
				continue
			}
			var m int
			b, m = e.appendScope(b, spans, j, res)
			n += m
		}
		b = Close(b, rs)
	}
	return b, n
}

// appendScope appends the ScopeSpans of the scope of spans[first] with
// every span not yet done of that scope and resource res, and returns how
// many it appended.
func (e *Traces) appendScope(b []byte, spans []sdktrace.ReadOnlySpan, first int, res *resource.Resource) ([]byte, int) {
	scope := spans[first].InstrumentationScope()
	var ss int
	b, ss = Open(b, resScopes)
	b = e.scope(scope).appendHead(b)
	n := 0
	for k := first; k < len(spans); k++ {
		s := spans[k]
		if e.done[k] || s.InstrumentationScope() != scope || !sameResource(s.Resource(), res) {
			continue
		}
		e.done[k] = true
		b = AppendSpan(b, scopeItems, s)
		n++
	}
	return Close(b, ss), n
}

// sameResource reports whether a and b are the same resource.
func sameResource(a, b *resource.Resource) bool {
	return a == b || (a.Equal(b) && a.SchemaURL() == b.SchemaURL())
}

// resource returns the encoded res, encoding it on first sight.
func (e *Traces) resource(res *resource.Resource) *Resource {
	for _, r := range e.resources {
		if r.Is(res) {
			return r
		}
	}
	r := NewResource(res)
	if len(e.resources) >= maxScopes {
		e.resources = e.resources[:0]
	}
	e.resources = append(e.resources, r)
	return r
}

// scope returns the encoded s, encoding it on first sight.
func (e *Traces) scope(s instrumentation.Scope) *Scope {
	for _, sc := range e.scopes {
		if sc.scope == s {
			return sc
		}
	}
	sc := NewScope(s)
	if len(e.scopes) >= maxScopes {
		e.scopes = e.scopes[:0]
	}
	e.scopes = append(e.scopes, sc)
	return sc
}

// AppendSpan appends s as the Span field num.
func AppendSpan(b []byte, num protowire.Number, s sdktrace.ReadOnlySpan) []byte {
	b, start := Open(b, num)
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	b = AppendMessage(b, spanTraceID, tid[:])
	b = AppendMessage(b, spanSpanID, sid[:])
	b = appendTraceState(b, spanTraceState, sc.TraceState())
	parent := s.Parent()
	if psid := parent.SpanID(); psid.IsValid() {
		b = AppendMessage(b, spanParentSpanID, psid[:])
	}
	b = AppendFixed32(b, spanFlags, flags(sc.TraceFlags(), parent))
	b = AppendString(b, spanName, s.Name())
	b = AppendVarint(b, spanKind, kind(s.SpanKind()))
	b = AppendTime(b, spanStart, s.StartTime())
	b = AppendTime(b, spanEnd, s.EndTime())
	b = AppendAttributes(b, spanAttributes, s.Attributes())
	b = AppendVarint(b, spanDroppedAttrs, uint64(clampUint32(s.DroppedAttributes())))
	for _, ev := range s.Events() {
		var e int
		b, e = Open(b, spanEvents)
		b = AppendTime(b, eventTime, ev.Time)
		b = AppendString(b, eventName, ev.Name)
		b = AppendAttributes(b, eventAttributes, ev.Attributes)
		b = AppendVarint(b, eventDroppedAttrs, uint64(clampUint32(ev.DroppedAttributeCount)))
		b = Close(b, e)
	}
	b = AppendVarint(b, spanDroppedEvents, uint64(clampUint32(s.DroppedEvents())))
	for _, l := range s.Links() {
		b = appendLink(b, l)
	}
	b = AppendVarint(b, spanDroppedLinks, uint64(clampUint32(s.DroppedLinks())))
	st := s.Status()
	var stStart int
	b, stStart = Open(b, spanStatus)
	b = AppendString(b, statusMessage, st.Description)
	b = AppendVarint(b, statusCode, statusCodeOf(st.Code))
	b = Close(b, stStart)
	return Close(b, start)
}

// appendLink appends l as a Span's Link.
func appendLink(b []byte, l sdktrace.Link) []byte {
	b, start := Open(b, spanLinks)
	tid, sid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
	b = AppendMessage(b, linkTraceID, tid[:])
	b = AppendMessage(b, linkSpanID, sid[:])
	b = appendTraceState(b, linkTraceState, l.SpanContext.TraceState())
	b = AppendAttributes(b, linkAttributes, l.Attributes)
	b = AppendVarint(b, linkDroppedAttrs, uint64(clampUint32(l.DroppedAttributeCount)))
	b = AppendFixed32(b, linkFlags, flags(l.SpanContext.TraceFlags(), l.SpanContext))
	return Close(b, start)
}

// appendTraceState appends ts as the string field num, unless it is empty.
func appendTraceState(b []byte, num protowire.Number, ts trace.TraceState) []byte {
	if ts.Len() == 0 {
		return b
	}
	return AppendString(b, num, ts.String())
}

// flags returns the flags of a span or link: the W3C trace flags, and
// whether the parent (for a link, the linked context) is remote.
func flags(tf trace.TraceFlags, parent trace.SpanContext) uint32 {
	f := uint32(tf) | flagHasIsRemote
	if parent.IsRemote() {
		f |= flagIsRemote
	}
	return f
}

// kind returns the OTLP SpanKind of k; the numbers are the same.
func kind(k trace.SpanKind) uint64 {
	if k < trace.SpanKindUnspecified || k > trace.SpanKindConsumer {
		return 0
	}
	return uint64(k)
}

// statusCodeOf returns the OTLP status code of c.
func statusCodeOf(c codes.Code) uint64 {
	switch c {
	case codes.Ok:
		return statusOK
	case codes.Error:
		return statusError
	}
	return 0
}
