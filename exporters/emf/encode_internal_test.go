package emf

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// The hand-written encoder must write exactly what encoding/json writes.
func TestAppendMatchesEncodingJSON(t *testing.T) {
	strs := []string{
		"", "faas_invocations_total", `quote"back\\slash`, "<html>&amp;", "tab\tnew\nline\r\b\f",
		"\x00\x01\x1f\x7f", "héllo wörld", "\u2028\u2029", "bad \xff utf8 \xc3", "emoji 🎉",
	}
	for _, s := range strs {
		t.Run("string "+s, func(t *testing.T) {
			want, err := json.Marshal(s)
			require.NoError(t, err)
			require.Equal(t, string(want), string(appendString(nil, s)))
		})
	}
	floats := []float64{0, 1, -1, 0.5, 1e-7, 1.5e-9, 123456789, 1e20, 1e21, 3.14159e300, -2.5e-300, math.SmallestNonzeroFloat64,
		math.MaxFloat64, 0.1 + 0.2}
	for _, f := range floats {
		t.Run("float", func(t *testing.T) {
			want, err := json.Marshal(f)
			require.NoError(t, err)
			require.Equal(t, string(want), string(appendFloat(nil, f)), "%v", f)
		})
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("faas_trigger")
	f.Add("<\u2028\xff\"")
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendString(nil, s)))
	})
}

func FuzzAppendFloat(f *testing.F) {
	f.Add(1.5)
	f.Add(1e-7)
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		want, err := json.Marshal(v)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendFloat(nil, v)))
	})
}
