package remotewrite

import (
	"math"
	"strings"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/stretchr/testify/require"
)

// FuzzEncodeRoundTrip encodes one series with arbitrary label values,
// value and timestamp, and decodes it back: the hand-computed sizes must
// frame every message exactly, whatever the lengths.
func FuzzEncodeRoundTrip(f *testing.F) {
	f.Add("value", "x", 1.5, int64(1_800_000_000_000), true)
	f.Add(strings.Repeat("v", 200), "", math.Inf(1), int64(0), false)
	f.Add(strings.Repeat("é", 9000), "ü\x00", math.Copysign(0, -1), int64(-1), true)
	f.Fuzz(func(t *testing.T, v1, v2 string, value float64, ts int64, stale bool) {
		b := newBatch(map[string]string{"job": "fn", "instance": v1})
		b.arena = append(b.arena, label{"__name__", "m"}, label{"a", v2}, label{"instance", v1}, label{"job", "fn"})
		b.series = append(b.series, seriesRef{start: 0, end: 4, value: value})
		var w writeRequest
		w.encode(b, ts, stale)
		require.Equal(t, w.Size(), len(w.buf))
		dst := make([]byte, w.Size())
		n, err := w.MarshalToSizedBuffer(dst)
		require.NoError(t, err)
		require.Equal(t, len(dst), n)

		got, err := decodeWriteRequest(snappy.Encode(nil, dst))
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, map[string]string{"__name__": "m", "a": v2, "instance": v1, "job": "fn"}, got[0].Labels)
		wantSamples := 1
		if stale {
			wantSamples = 2
		}
		require.Len(t, got[0].Samples, wantSamples)
		require.Equal(t, math.Float64bits(value), math.Float64bits(got[0].Samples[0].value))
		require.Equal(t, ts, got[0].Samples[0].ts)
		if stale {
			require.Equal(t, math.Float64bits(staleNaN), math.Float64bits(got[0].Samples[1].value))
			require.Equal(t, ts+1, got[0].Samples[1].ts)
		}
	})
}
