package tracing

import sdktrace "go.opentelemetry.io/otel/sdk/trace"

// spanRing holds ended spans oldest first, up to max of them. It grows by
// doubling until it reaches max, so a steady state of a few spans per flush
// keeps a small array and allocates nothing; once full, each new span
// replaces the oldest in O(1). It is not safe for concurrent use.
type spanRing struct {
	max  int
	buf  []sdktrace.ReadOnlySpan // len(buf) is the capacity in use
	head int                     // index of the oldest span
	n    int                     // spans held
}

// push appends s as the newest span and reports whether the oldest had to
// go to make room.
func (r *spanRing) push(s sdktrace.ReadOnlySpan) (droppedOldest bool) {
	if r.n == r.max {
		r.buf[r.head] = s
		r.head = r.next(r.head)
		return true
	}
	if r.n == len(r.buf) {
		r.grow(r.n + 1)
	}
	r.buf[(r.head+r.n)%len(r.buf)] = s
	r.n++
	return false
}

// takeAll appends the spans to dst, oldest first, and empties the ring.
func (r *spanRing) takeAll(dst []sdktrace.ReadOnlySpan) []sdktrace.ReadOnlySpan {
	if r.n == 0 {
		return dst
	}
	end := r.head + r.n
	if end <= len(r.buf) {
		dst = append(dst, r.buf[r.head:end]...)
		clear(r.buf[r.head:end])
	} else {
		dst = append(dst, r.buf[r.head:]...)
		dst = append(dst, r.buf[:end-len(r.buf)]...)
		clear(r.buf[r.head:])
		clear(r.buf[:end-len(r.buf)])
	}
	r.head, r.n = 0, 0
	return dst
}

// prepend puts spans, which are older than every span held, back in front
// of them, oldest first. Those that do not fit under max are the oldest and
// are left out; prepend returns how many.
func (r *spanRing) prepend(spans []sdktrace.ReadOnlySpan) (left int) {
	if room := r.max - r.n; len(spans) > room {
		left = len(spans) - room
		spans = spans[left:]
	}
	if len(spans) == 0 {
		return left
	}
	if need := r.n + len(spans); need > len(r.buf) {
		r.grow(need)
	}
	for i := len(spans) - 1; i >= 0; i-- {
		r.head = r.prev(r.head)
		r.buf[r.head] = spans[i]
	}
	r.n += len(spans)
	return left
}

// grow makes room for at least need spans, at most max, keeping the order.
func (r *spanRing) grow(need int) {
	size := max(2*len(r.buf), need, 8)
	size = min(size, r.max)
	buf := make([]sdktrace.ReadOnlySpan, size)
	r.takeAllInto(buf)
	r.buf = buf
}

// takeAllInto copies the spans, oldest first, to the front of buf without
// emptying the ring's count, and resets head.
func (r *spanRing) takeAllInto(buf []sdktrace.ReadOnlySpan) {
	n := r.n
	r.takeAll(buf[:0])
	r.head, r.n = 0, n
}

func (r *spanRing) next(i int) int {
	if i++; i == len(r.buf) {
		return 0
	}
	return i
}

func (r *spanRing) prev(i int) int {
	if i == 0 {
		return len(r.buf) - 1
	}
	return i - 1
}
