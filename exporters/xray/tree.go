package xray

import (
	"slices"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// none marks the absence of a span in a [forest]'s links.
const none = -1

type spanKey struct {
	trace trace.TraceID
	span  trace.SpanID
}

// forest links the sampled spans of one export to their parents, so that
// each span whose parent is not in the export (an invocation span, whose
// parent is Lambda's function segment) can carry its descendants nested.
// Children are kept in start order. Its slices and map are reused from
// export to export; it is not safe for concurrent use.
type forest struct {
	spans  []sdktrace.ReadOnlySpan // sampled, by start time
	index  map[spanKey]int32
	parent []int32 // parent's index, or none when not in the export
	first  []int32 // first child, or none
	last   []int32 // last child, or none
	next   []int32 // next sibling, or none
	sent   []bool  // handled: sent, or given up and counted
}

// maxKeptIndex bounds the map kept between exports: clearing a map costs
// in proportion to the largest it has been.
const maxKeptIndex = 1024

// build links the sampled spans of spans.
func (f *forest) build(spans []sdktrace.ReadOnlySpan) {
	f.spans = f.spans[:0]
	for _, s := range spans {
		if s.SpanContext().IsSampled() {
			f.spans = append(f.spans, s)
		}
	}
	slices.SortStableFunc(f.spans, func(a, b sdktrace.ReadOnlySpan) int {
		return a.StartTime().Compare(b.StartTime())
	})
	n := len(f.spans)
	if f.index == nil || len(f.index) > maxKeptIndex {
		f.index = make(map[spanKey]int32, n)
	} else {
		clear(f.index)
	}
	f.parent, f.first, f.last, f.next = resize(f.parent, n), resize(f.first, n), resize(f.last, n), resize(f.next, n)
	f.sent = slices.Grow(f.sent[:0], n)[:n]
	clear(f.sent)
	for i, s := range f.spans {
		sc := s.SpanContext()
		f.index[spanKey{sc.TraceID(), sc.SpanID()}] = int32(i)
		f.parent[i], f.first[i], f.last[i], f.next[i] = none, none, none, none
	}
	for i, s := range f.spans {
		p := s.Parent()
		if !p.SpanID().IsValid() {
			continue
		}
		j, ok := f.index[spanKey{s.SpanContext().TraceID(), p.SpanID()}]
		if !ok || int(j) == i {
			continue
		}
		f.parent[i] = j
		if f.last[j] == none {
			f.first[j] = int32(i)
		} else {
			f.next[f.last[j]] = int32(i)
		}
		f.last[j] = int32(i)
	}
}

// release drops the references to the exported spans.
func (f *forest) release() {
	clear(f.spans)
	f.spans = f.spans[:0]
}

// subtree counts span i and its descendants.
func (f *forest) subtree(i int32) int {
	n := 1
	for c := f.first[i]; c != none; c = f.next[c] {
		n += f.subtree(c)
	}
	return n
}

// markSent marks span i and its descendants as handled.
func (f *forest) markSent(i int32) {
	f.sent[i] = true
	for c := f.first[i]; c != none; c = f.next[c] {
		f.markSent(c)
	}
}

func resize(s []int32, n int) []int32 { return slices.Grow(s[:0], n)[:n] }
