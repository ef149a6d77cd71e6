package otlpwire_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
)

// TestOpenClose nests messages whose lengths need one to three bytes and
// checks that each decodes to the body written.
func TestOpenClose(t *testing.T) {
	for _, n := range []int{0, 1, 127, 128, 300, 16383, 16384, 70000} {
		inner := bytes.Repeat([]byte{'x'}, n)
		b := []byte("prefix")
		b, outer := otlpwire.Open(b, 1)
		var mid int
		b, mid = otlpwire.Open(b, 2)
		b = append(b, inner...)
		b = otlpwire.Close(b, mid)
		b = otlpwire.Close(b, outer)

		require.Equal(t, "prefix", string(b[:6]))
		num, typ, tn := protowire.ConsumeTag(b[6:])
		require.Equal(t, protowire.Number(1), num)
		require.Equal(t, protowire.BytesType, typ)
		body, bn := protowire.ConsumeBytes(b[6+tn:])
		require.Positive(t, bn)
		require.Len(t, b, 6+tn+bn, "nothing after the outer message")
		num, _, tn = protowire.ConsumeTag(body)
		require.Equal(t, protowire.Number(2), num)
		got, _ := protowire.ConsumeBytes(body[tn:])
		require.Equal(t, inner, got, "length %d", n)
	}
}
