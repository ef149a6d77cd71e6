package metrics

import (
	"math"
	"sync/atomic"
)

// The storage of Lumen's instruments. Every update is a few atomic
// operations on memory allocated when the series was created: recording
// takes no lock and allocates nothing.

// counter is a monotonic sum. Whole increments go to an integer word,
// fractional ones to a float64 updated by compare-and-swap, as in
// client_golang's counters, so that Inc is one atomic add.
type counter struct {
	ints atomic.Uint64
	bits atomic.Uint64 // float64 bits of the fractional increments
}

func (c *counter) inc() { c.ints.Add(1) }

// add adds v; negative and NaN increments are ignored, since a counter only
// goes up.
func (c *counter) add(v float64) {
	if !(v > 0) {
		return
	}
	if v < 1<<53 {
		if u := uint64(v); float64(u) == v {
			c.ints.Add(u)
			return
		}
	}
	addFloat(&c.bits, v)
}

func (c *counter) value() float64 {
	return float64(c.ints.Load()) + math.Float64frombits(c.bits.Load())
}

// gauge is a value that goes up and down.
type gauge struct{ bits atomic.Uint64 }

func (g *gauge) set(v float64)  { g.bits.Store(math.Float64bits(v)) }
func (g *gauge) add(v float64)  { addFloat(&g.bits, v) }
func (g *gauge) value() float64 { return math.Float64frombits(g.bits.Load()) }

// histogram counts observations in explicit buckets, and in native
// (exponential) buckets when those are on.
//
// Observe increments the bucket before it adds to the sum, and the classic
// bucket before the native one; readers take the native buckets first and
// derive the count from the classic buckets, so that a read racing an
// observation never shows more native observations than the count (which
// Prometheus rejects). The sum may lag or lead the count by the
// observations in flight.
type histogram struct {
	bounds []float64       // upper bounds, shared read-only by the family
	counts []atomic.Uint64 // per bucket, not cumulative; the last is +Inf
	sum    atomic.Uint64   // float64 bits
	native *nativeBuckets  // nil when native histograms are off
}

// init allocates the storage of a new histogram.
func (h *histogram) init(bounds []float64, native bool) {
	h.bounds, h.counts = bounds, make([]atomic.Uint64, len(bounds)+1)
	if native {
		h.native = &nativeBuckets{}
	}
}

// observe counts v in the first bucket whose upper bound is at least v;
// NaN falls in none of the bounds, so it is counted in +Inf, as
// client_golang does.
func (h *histogram) observe(v float64) {
	h.counts[bucketOf(h.bounds, v)].Add(1)
	addFloat(&h.sum, v)
	if h.native != nil {
		h.native.observe(v)
	}
}

// read copies the per-bucket counts into dst (len(bounds)+1 entries) and
// returns their total and the sum.
func (h *histogram) read(dst []uint64) (count uint64, sum float64) {
	for i := range h.counts {
		dst[i] = h.counts[i].Load()
		count += dst[i]
	}
	return count, math.Float64frombits(h.sum.Load())
}

// bucketOf returns the index of the first bound >= v, or len(bounds).
func bucketOf(bounds []float64, v float64) int {
	lo, hi := 0, len(bounds)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if bounds[mid] >= v {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// addFloat adds v to the float64 whose bits are in b.
func addFloat(b *atomic.Uint64, v float64) {
	for {
		old := b.Load()
		if b.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}
