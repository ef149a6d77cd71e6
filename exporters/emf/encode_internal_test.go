package emf

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// The hand-written encoder must write exactly what encoding/json writes.
func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
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
