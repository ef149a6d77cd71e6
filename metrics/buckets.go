package metrics

import (
	"math"
	"slices"
	"time"
)

// DurationBuckets returns the default classic bucket upper bounds, in
// seconds, of every duration histogram the Recorder registers
// (faas_invoke_duration_seconds, faas_init_duration_seconds,
// faas_phase_duration_seconds and faas_telemetry_flush_duration_seconds).
//
// The layout is a superset of the OpenTelemetry FaaS semantic-convention
// advisory boundaries [0.005 … 10], so every `le` value a semconv dashboard
// queries exists. It adds 1 ms and 2.5 ms below (a Go handler and Lumen's own
// phases often finish in under 5 ms) and 15 s, 30 s, 1, 2, 5, 10 and 15 min
// above, because a Lambda function can run up to its 900 s timeout and a
// classic histogram_quantile cannot report more than the highest finite bound.
// The function returns a fresh slice on every call.
func DurationBuckets() []float64 {
	return []float64{
		0.001, 0.0025, // below semconv: Go handlers and runtime phases
		0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, // semconv
		15, 30, 60, 120, 300, 600, 900, // up to Lambda's 15-minute timeout
	}
}

// SemconvDurationBuckets returns the OpenTelemetry FaaS semantic-convention
// advisory boundaries, in seconds, unchanged. Pass them to
// [WithDurationBuckets] to follow the convention to the letter (p99 then pins
// at 10 s for longer invocations).
func SemconvDurationBuckets() []float64 {
	return []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}
}

// SizeBuckets returns the default classic bucket upper bounds, in bytes, of
// faas_request_size_bytes and faas_response_size_bytes: powers of four from
// 64 B to 256 MiB, plus 6 MiB, Lambda's synchronous request and response
// payload limit, so "payloads near the limit" is one bucket query. The
// function returns a fresh slice on every call.
func SizeBuckets() []float64 {
	return []float64{
		64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10,
		1 << 20, 4 << 20, 6 << 20, 16 << 20, 64 << 20, 256 << 20,
	}
}

// MemoryBuckets returns the bucket upper bounds, in bytes, of
// faas_mem_usage_bytes: Lambda's memory sizes from 16 MiB to its 10,240 MiB
// maximum, doubling with a step between, so that "close to the limit" is a
// bucket for the common sizes. The function returns a fresh slice on every
// call.
func MemoryBuckets() []float64 {
	const mib = 1 << 20
	return []float64{
		16 * mib, 32 * mib, 64 * mib, 96 * mib, 128 * mib, 192 * mib, 256 * mib, 384 * mib, 512 * mib,
		768 * mib, 1024 * mib, 1536 * mib, 2048 * mib, 3072 * mib, 4096 * mib, 6144 * mib, 8192 * mib, 10240 * mib,
	}
}

// RatioBuckets returns the bucket upper bounds of
// faas_memory_utilization_ratio: tenths, then 0.95 and 0.99 near the limit.
// The function returns a fresh slice on every call.
func RatioBuckets() []float64 {
	return []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1}
}

// Native histogram settings used when native histograms are on (the default,
// see [WithNativeHistograms]). The values follow client_golang's advice for
// histograms whose observations depend on external input.
const (
	// NativeHistogramBucketFactor bounds the growth from one native bucket to
	// the next: 1.1 gives 8 buckets per power of two (schema 3).
	NativeHistogramBucketFactor = 1.1
	// NativeHistogramMaxBucketNumber caps the native buckets one series
	// exposes; beyond it the exposed resolution is halved until they fit, so
	// scrapes and pushes stay bounded whatever the durations are.
	NativeHistogramMaxBucketNumber = 160
	// NativeHistogramMinResetDuration is the shortest interval after which
	// a client_golang native histogram that hit
	// NativeHistogramMaxBucketNumber may be reset instead of losing
	// resolution.
	//
	// Deprecated: Lumen's native histograms are never reset: they keep
	// their full resolution and reduce only what they expose.
	NativeHistogramMinResetDuration = time.Hour
)

// validBuckets reports whether b is a usable classic bucket layout: non-empty,
// strictly increasing, finite.
func validBuckets(b []float64) bool {
	if len(b) == 0 {
		return false
	}
	for i, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
		if i > 0 && b[i-1] >= v {
			return false
		}
	}
	return true
}

// cloneBuckets copies b so callers cannot mutate a Recorder's layout.
func cloneBuckets(b []float64) []float64 { return slices.Clone(b) }
