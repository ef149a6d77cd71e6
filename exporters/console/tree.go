package console

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

type spanKey struct {
	trace trace.TraceID
	span  trace.SpanID
}

// appendTrees appends one tree per root span: a span whose parent is not
// among spans.
func appendTrees(b []byte, spans []sdktrace.ReadOnlySpan) []byte {
	present := make(map[spanKey]bool, len(spans))
	for _, s := range spans {
		present[spanKey{s.SpanContext().TraceID(), s.SpanContext().SpanID()}] = true
	}
	children := make(map[spanKey][]sdktrace.ReadOnlySpan)
	var roots []sdktrace.ReadOnlySpan
	for _, s := range spans {
		p := s.Parent()
		k := spanKey{s.SpanContext().TraceID(), p.SpanID()}
		if p.SpanID().IsValid() && present[k] {
			children[k] = append(children[k], s)
			continue
		}
		roots = append(roots, s)
	}
	slices.SortFunc(roots, compareSpans)
	for _, r := range roots {
		b = append(b, "trace "...)
		b = append(b, invocation.RootFromTraceID(r.SpanContext().TraceID())...)
		b = append(b, "  "...)
		b = appendLine(b, r)
		b = appendChildren(b, children, r, nil)
	}
	return b
}

func appendChildren(b []byte, children map[spanKey][]sdktrace.ReadOnlySpan, parent sdktrace.ReadOnlySpan, indent []byte) []byte {
	kids := children[spanKey{parent.SpanContext().TraceID(), parent.SpanContext().SpanID()}]
	slices.SortFunc(kids, compareSpans)
	for i, k := range kids {
		last := i == len(kids)-1
		b = append(b, indent...)
		if last {
			b = append(b, "└─ "...)
		} else {
			b = append(b, "├─ "...)
		}
		b = appendLine(b, k)
		next := bytes.Clone(indent)
		if last {
			next = append(next, "   "...)
		} else {
			next = append(next, "│  "...)
		}
		b = appendChildren(b, children, k, next)
	}
	return b
}

// compareSpans orders by start time, then trace id, then span id.
func compareSpans(a, b sdktrace.ReadOnlySpan) int {
	if c := a.StartTime().Compare(b.StartTime()); c != 0 {
		return c
	}
	at, bt := a.SpanContext().TraceID(), b.SpanContext().TraceID()
	if c := bytes.Compare(at[:], bt[:]); c != 0 {
		return c
	}
	as, bs := a.SpanContext().SpanID(), b.SpanContext().SpanID()
	return cmp.Compare(string(as[:]), string(bs[:]))
}

// appendLine appends "name  duration  status[  cold start]\n".
func appendLine(b []byte, s sdktrace.ReadOnlySpan) []byte {
	b = append(b, s.Name()...)
	b = append(b, "  "...)
	b = appendDuration(b, s.EndTime().Sub(s.StartTime()))
	b = append(b, "  "...)
	if st := s.Status(); st.Code == codes.Error {
		b = append(b, "error"...)
		if st.Description != "" {
			b = append(b, ": "...)
			b = append(b, st.Description...)
		}
	} else {
		b = append(b, "ok"...)
	}
	for _, kv := range s.Attributes() {
		if kv.Key == "faas.coldstart" && kv.Value.AsBool() {
			b = append(b, "  cold start"...)
		}
	}
	return append(b, '\n')
}

// appendDuration writes d with three significant digits or so: 850ns,
// 12.3µs, 12.3ms, 1.23s.
func appendDuration(b []byte, d time.Duration) []byte {
	switch {
	case d < 0:
		return append(b, "?"...)
	case d < time.Microsecond:
		b = strconv.AppendInt(b, int64(d), 10)
		return append(b, "ns"...)
	case d < time.Millisecond:
		b = strconv.AppendFloat(b, float64(d)/float64(time.Microsecond), 'f', 1, 64)
		return append(b, "µs"...)
	case d < time.Second:
		b = strconv.AppendFloat(b, float64(d)/float64(time.Millisecond), 'f', 1, 64)
		return append(b, "ms"...)
	default:
		b = strconv.AppendFloat(b, d.Seconds(), 'f', 2, 64)
		return append(b, "s"...)
	}
}
