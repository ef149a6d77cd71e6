package metrics

import (
	"math"
	"sync/atomic"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// Lumen's native (sparse, exponential) histogram buckets, exposed to
// Prometheus exactly as client_golang exposes a histogram with
// NativeHistogramBucketFactor 1.1: schema 3 (8 buckets per power of two),
// client_golang's default zero threshold of 2^-128, spans and deltas built
// the same way. They differ in what happens beyond
// [NativeHistogramMaxBucketNumber] populated buckets: client_golang halves
// the resolution as it records, and resets the histogram after
// [NativeHistogramMinResetDuration]; Lumen keeps recording at schema 3 and
// halves the resolution only in what it exposes, so it never resets and
// loses nothing. Values above 2^128 (and +Inf) are counted in the bucket of
// 2^128; Lumen observes durations and sizes, far below.
const (
	nativeSchema  = 3
	nativeKeyLow  = -1024 // the key of the zero threshold, 2^-128
	nativeKeyHigh = 1024  // the key of 2^128, the highest bucket kept
	nativeChunk   = 64    // buckets allocated together
	nativeChunks  = (nativeKeyHigh - nativeKeyLow) / nativeChunk
)

// nativeZeroThreshold is client_golang's DefNativeHistogramZeroThreshold.
var nativeZeroThreshold = math.Ldexp(1, nativeKeyLow/(1<<nativeSchema))

// nativeBounds are the schema-3 bucket boundaries within one power of two,
// as fractions of math.Frexp: 2^(i/8 - 1), the constants client_golang
// searches.
var nativeBounds = [1 << nativeSchema]float64{
	0.5, 0.5452538663326288, 0.5946035575013605, 0.6484197773255048,
	0.7071067811865475, 0.7711054127039704, 0.8408964152537144, 0.9170040432046711,
}

// nativeBuckets are the positive buckets and the zero bucket of one
// series. Buckets are allocated a chunk of 64 at a time, on the first
// observation in the chunk: a series whose observations span a few powers
// of two holds one or two chunks (512 bytes each).
type nativeBuckets struct {
	zero   atomic.Uint64
	chunks [nativeChunks]atomic.Pointer[[nativeChunk]atomic.Uint64]
}

// observe counts v. NaN is not counted (it is in the classic +Inf bucket
// and the count only), values at or below the zero threshold, negative ones
// included, go to the zero bucket: Lumen records no negative values.
func (n *nativeBuckets) observe(v float64) {
	if math.IsNaN(v) {
		return
	}
	if v <= nativeZeroThreshold {
		n.zero.Add(1)
		return
	}
	i := nativeKey(v) - nativeKeyLow - 1
	chunk := n.chunks[i/nativeChunk].Load()
	if chunk == nil {
		chunk = new([nativeChunk]atomic.Uint64)
		if !n.chunks[i/nativeChunk].CompareAndSwap(nil, chunk) {
			chunk = n.chunks[i/nativeChunk].Load()
		}
	}
	chunk[i%nativeChunk].Add(1)
}

// nativeKey is the schema-3 bucket key of v > 0: the bucket
// (2^((k-1)/8), 2^(k/8)], computed as client_golang computes it.
func nativeKey(v float64) int {
	if v > math.Ldexp(1, nativeKeyHigh/(1<<nativeSchema)) {
		return nativeKeyHigh
	}
	frac, exp := math.Frexp(v)
	k := 0
	for k < len(nativeBounds) && nativeBounds[k] < frac {
		k++
	}
	return k + (exp-1)*len(nativeBounds)
}

// nativeCount is one populated bucket.
type nativeCount struct {
	key   int
	count uint64
}

// read appends the populated buckets to dst in key order and returns them
// with the zero bucket's count.
func (n *nativeBuckets) read(dst []nativeCount) ([]nativeCount, uint64) {
	zero := n.zero.Load()
	for c := range n.chunks {
		chunk := n.chunks[c].Load()
		if chunk == nil {
			continue
		}
		for i := range chunk {
			if v := chunk[i].Load(); v > 0 {
				dst = append(dst, nativeCount{key: c*nativeChunk + i + nativeKeyLow + 1, count: v})
			}
		}
	}
	return dst, zero
}

// downscale merges buckets pairwise, lowering the schema, until at most
// max are populated, and returns the merged buckets and the schema.
func downscale(b []nativeCount, max int) ([]nativeCount, int32) {
	schema := int32(nativeSchema)
	for len(b) > max && schema > -4 {
		out := b[:0]
		for _, c := range b {
			// Bucket k of schema s lies in bucket ceil(k/2) of schema s-1.
			k := (c.key + 1) >> 1
			if n := len(out); n > 0 && out[n-1].key == k {
				out[n-1].count += c.count
				continue
			}
			out = append(out, nativeCount{key: k, count: c.count})
		}
		b = out
		schema--
	}
	return b, schema
}

// writeNative sets the native fields of h from the populated buckets, with
// client_golang's span layout: a gap of one or two empty buckets continues
// the span with zero deltas, a longer one starts a new span.
func writeNative(h *dto.Histogram, b []nativeCount, zero uint64) {
	b, schema := downscale(b, NativeHistogramMaxBucketNumber)
	h.Schema = proto.Int32(schema)
	h.ZeroThreshold = proto.Float64(nativeZeroThreshold)
	h.ZeroCount = proto.Uint64(zero)
	if len(b) == 0 {
		return
	}
	var (
		spans  []*dto.BucketSpan
		deltas = make([]int64, 0, len(b))
		prev   int64
		next   int
	)
	for n, c := range b {
		gap := c.key - next
		if n == 0 || gap > 2 {
			spans = append(spans, &dto.BucketSpan{Offset: proto.Int32(int32(gap)), Length: proto.Uint32(0)})
		} else {
			for range gap {
				*spans[len(spans)-1].Length++
				deltas = append(deltas, -prev)
				prev = 0
			}
		}
		*spans[len(spans)-1].Length++
		deltas = append(deltas, int64(c.count)-prev)
		prev = int64(c.count)
		next = c.key + 1
	}
	h.PositiveSpan, h.PositiveDelta = spans, deltas
}
