package logging

// Sampled reports whether the invocation with the given request id is one of
// the share rate of invocations logged down to DEBUG. The decision is a pure
// function of the request id, so every line of an invocation, every clone of
// the handler and every process agree on it, and other components can make
// the same decision. An empty request id (outside an invocation) is never
// sampled; a rate of 1 or more samples every invocation.
func Sampled(requestID string, rate float64) bool {
	switch {
	case rate <= 0 || requestID == "":
		return false
	case rate >= 1:
		return true
	}
	return unitHash(requestID) < rate
}

// unitHash maps s to [0, 1): 64-bit FNV-1a, a splitmix64 finalizer so every
// input byte reaches the high bits, then the top 53 bits as a float.
func unitHash(s string) float64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime64
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return float64(h>>11) / (1 << 53)
}

// clampRate limits a sampling rate to [0, 1]; NaN becomes 0.
func clampRate(r float64) float64 {
	switch {
	case r > 1:
		return 1
	case r >= 0:
		return r
	}
	return 0 // negative or NaN
}
