package jsonenc_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/jsonenc"
)

// AppendString must write exactly what encoding/json writes.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	strs := []string{
		"", "faas_invocations_total", `quote"back\\slash`, "<html>&amp;", "tab\tnew\nline\r\b\f",
		"\x00\x01\x1f\x7f", "héllo wörld", "\u2028\u2029", "bad \xff utf8 \xc3", "emoji 🎉",
	}
	for _, s := range strs {
		t.Run(s, func(t *testing.T) {
			want, err := json.Marshal(s)
			require.NoError(t, err)
			require.Equal(t, string(want), string(jsonenc.AppendString(nil, s)))
			require.Equal(t, "x"+string(want), string(jsonenc.AppendString([]byte("x"), s)), "appends")
		})
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("faas_trigger")
	f.Add("<\u2028\xff\"")
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(jsonenc.AppendString(nil, s)))
	})
}
