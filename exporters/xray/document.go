package xray

import (
	"math"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// maxAnnotations is the number of annotations X-Ray indexes per document.
const maxAnnotations = 50

// trim says what a document leaves out to fit in a datagram.
type trim uint8

const (
	trimNone     trim = iota
	trimMetadata      // no metadata
	trimStacks        // no metadata, no exception stacks
)

// encoder turns spans into datagrams, reusing one buffer. It is not safe for
// concurrent use; the exporter serialises it.
type encoder struct {
	indexed map[string]string
	buf     []byte
}

// datagram returns the header and the standalone document of s, trimmed
// until it fits in limit bytes, and false if it never does. The slice is
// valid until the next call.
func (e *encoder) datagram(s sdktrace.ReadOnlySpan, limit int) ([]byte, bool) {
	e.reset(limit)
	for t := trimNone; t <= trimStacks; t++ {
		e.buf = append(e.buf[:0], Header...)
		e.buf = e.appendDocument(e.buf, s, t)
		if len(e.buf) <= limit {
			return e.buf, true
		}
	}
	return nil, false
}

// reset lets go of a buffer grown far past what a datagram needs.
func (e *encoder) reset(limit int) {
	if cap(e.buf) > 4*limit {
		e.buf = nil
	}
}

// appendDocument appends the standalone segment (or subsegment) document
// for s.
func (e *encoder) appendDocument(b []byte, s sdktrace.ReadOnlySpan, t trim) []byte {
	return append(e.appendOpen(b, s, t, standalone), '}')
}

// placement says where a document goes: alone in a datagram, or nested in
// its parent's subsegments.
type placement uint8

const (
	// standalone documents carry trace_id and, with a parent, parent_id
	// and "type": "subsegment".
	standalone placement = iota
	// nested documents carry neither: X-Ray takes them from the
	// enclosing document.
	nested
)

// appendOpen appends the document for s without its closing brace, so that
// subsegments can follow.
func (e *encoder) appendOpen(b []byte, s sdktrace.ReadOnlySpan, t trim, where placement) []byte {
	sc := s.SpanContext()
	attrs := s.Attributes()
	f := readFields(attrs)

	b = append(b, `{"name":`...)
	b = appendString(b, segmentName(s, &f))
	b = append(b, `,"id":"`...)
	b = appendSpanID(b, sc.SpanID())
	b = append(b, '"')
	if where == standalone {
		b = append(b, `,"trace_id":"`...)
		b = appendTraceID(b, sc.TraceID())
		b = append(b, '"')
		if p := s.Parent(); p.SpanID().IsValid() {
			b = append(b, `,"parent_id":"`...)
			b = appendSpanID(b, p.SpanID())
			b = append(b, `","type":"subsegment"`...)
		}
	}
	b = append(b, `,"start_time":`...)
	b = appendSeconds(b, s.StartTime())
	b = append(b, `,"end_time":`...)
	b = appendSeconds(b, s.EndTime())
	switch {
	case f.isAWS():
		b = append(b, `,"namespace":"aws"`...)
	case s.SpanKind() == trace.SpanKindClient:
		b = append(b, `,"namespace":"remote"`...)
	}
	b = appendHTTP(b, &f)
	if f.isAWS() {
		b = appendAWS(b, &f)
	}
	o := spanOutcome(s, &f)
	if o.fault {
		b = append(b, `,"fault":true`...)
	}
	if o.err {
		b = append(b, `,"error":true`...)
	}
	if o.throttle {
		b = append(b, `,"throttle":true`...)
	}
	b = appendCause(b, s, t < trimStacks)
	b = e.appendAnnotations(b, attrs)
	if t == trimNone {
		b = e.appendMetadata(b, attrs)
	}
	return b
}

func appendHTTP(b []byte, f *spanFields) []byte {
	url := f.requestURL()
	clientIP, forwarded := f.clientAddress()
	req := f.method != "" || !url.empty() || clientIP != "" || f.userAgent != ""
	resp := f.status != 0 || f.contentLength != 0
	if !req && !resp {
		return b
	}
	b = append(b, `,"http":{`...)
	if req {
		b = append(b, `"request":{`...)
		first := true
		if f.method != "" {
			b = appendKey(b, first, "method")
			b = appendString(b, f.method)
			first = false
		}
		if !url.empty() {
			b = appendKey(b, first, "url")
			b = appendStringParts(b, url[:])
			first = false
		}
		for _, kv := range [...][2]string{{"client_ip", clientIP}, {"user_agent", f.userAgent}} {
			if kv[1] == "" {
				continue
			}
			b = appendKey(b, first, kv[0])
			b = appendString(b, kv[1])
			first = false
		}
		if forwarded {
			b = append(b, `,"x_forwarded_for":true`...)
		}
		b = append(b, '}')
	}
	if resp {
		if req {
			b = append(b, ',')
		}
		b = append(b, `"response":{`...)
		first := true
		if f.status != 0 {
			b = appendKey(b, first, "status")
			b = strconv.AppendInt(b, f.status, 10)
			first = false
		}
		if f.contentLength != 0 {
			b = appendKey(b, first, "content_length")
			b = strconv.AppendInt(b, f.contentLength, 10)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendAWS(b []byte, f *spanFields) []byte {
	b = append(b, `,"aws":{`...)
	first := true
	for _, kv := range [...][2]string{
		{"operation", f.rpcMethod}, {"region", f.region}, {"request_id", f.requestID},
	} {
		if kv[1] == "" {
			continue
		}
		b = appendKey(b, first, kv[0])
		b = appendString(b, kv[1])
		first = false
	}
	return append(b, '}')
}

// annotation returns the annotation key for kv, or "" if kv belongs in
// metadata: X-Ray indexes strings, numbers and booleans under keys of
// [A-Za-z0-9_].
func (e *encoder) annotation(kv attribute.KeyValue) string {
	switch kv.Value.Type() {
	case attribute.STRING, attribute.INT64, attribute.BOOL:
	case attribute.FLOAT64:
		if f := kv.Value.AsFloat64(); math.IsNaN(f) || math.IsInf(f, 0) {
			return ""
		}
	default:
		return ""
	}
	k := string(kv.Key)
	if mapped, ok := e.indexed[k]; ok {
		return mapped
	}
	if validAnnotationKey(k) {
		return k
	}
	return ""
}

func (e *encoder) appendAnnotations(b []byte, attrs []attribute.KeyValue) []byte {
	n := 0
	for _, kv := range attrs {
		if httpKey(kv.Key) {
			continue
		}
		k := e.annotation(kv)
		if k == "" {
			continue
		}
		if n == maxAnnotations {
			break
		}
		if n == 0 {
			b = append(b, `,"annotations":{`...)
		}
		b = appendKey(b, n == 0, k)
		b = appendValue(b, kv.Value)
		n++
	}
	if n > 0 {
		b = append(b, '}')
	}
	return b
}

// appendMetadata appends every attribute that is neither an HTTP field nor
// one of the first 50 annotations, under the "default" namespace.
func (e *encoder) appendMetadata(b []byte, attrs []attribute.KeyValue) []byte {
	annotated, n := 0, 0
	for _, kv := range attrs {
		if httpKey(kv.Key) {
			continue
		}
		if e.annotation(kv) != "" && annotated < maxAnnotations {
			annotated++
			continue
		}
		if n == 0 {
			b = append(b, `,"metadata":{"default":{`...)
		}
		b = appendKey(b, n == 0, string(kv.Key))
		b = appendValue(b, kv.Value)
		n++
	}
	if n > 0 {
		b = append(b, "}}"...)
	}
	return b
}
