package otlpwire

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// Open appends the tag of the length-delimited field num and one byte
// reserved for the length of its body, and returns the offset of the body,
// to pass to [Close] once the body is appended.
func Open(b []byte, num protowire.Number) ([]byte, int) {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = append(b, 0)
	return b, len(b)
}

// Close writes the length of the body that starts at start (as returned by
// [Open]) and ends at the end of b, moving the body when its length takes
// more than the reserved byte.
func Close(b []byte, start int) []byte {
	n := len(b) - start
	if n < 0x80 {
		b[start-1] = byte(n)
		return b
	}
	size := protowire.SizeVarint(uint64(n))
	b = slices.Grow(b, size-1)[:len(b)+size-1]
	copy(b[start-1+size:], b[start:start+n])
	protowire.AppendVarint(b[:start-1], uint64(n))
	return b
}

// AppendString appends the string field num, unless s is empty (the proto3
// default, which is not encoded). Invalid UTF-8 is replaced (see
// [ValidUTF8]).
func AppendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, ValidUTF8(s))
}

// ValidUTF8 returns s with each run of invalid UTF-8 bytes replaced by
// U+FFFD. Protobuf strings must be valid UTF-8: decoders (the generated Go
// types among them) reject a message holding an invalid one, which would
// lose the whole request for one bad attribute.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// AppendBytes appends the bytes field num, unless v is empty.
func AppendBytes(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// AppendMessage appends the pre-encoded message body msg as the field num,
// even when msg is empty.
func AppendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

// AppendVarint appends the varint field num (uint32, uint64, enums), unless
// v is 0.
func AppendVarint(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// AppendFixed64 appends the fixed64 field num, unless v is 0.
func AppendFixed64(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.Fixed64Type)
	return protowire.AppendFixed64(b, v)
}

// AppendFixed32 appends the fixed32 field num, unless v is 0.
func AppendFixed32(b []byte, num protowire.Number, v uint32) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, v)
}

// AppendDouble appends the double field num, even when v is 0 (every
// double Lumen encodes is a oneof or an optional field, whose presence
// matters).
func AppendDouble(b []byte, num protowire.Number, v float64) []byte {
	b = protowire.AppendTag(b, num, protowire.Fixed64Type)
	return protowire.AppendFixed64(b, math.Float64bits(v))
}

// AppendTime appends t as the fixed64 field num in nanoseconds since the
// Unix epoch; a zero or pre-epoch t is not encoded.
func AppendTime(b []byte, num protowire.Number, t time.Time) []byte {
	return AppendFixed64(b, num, UnixNano(t))
}

// UnixNano returns t in nanoseconds since the Unix epoch, or 0 for the zero
// time and times before the epoch.
func UnixNano(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(max(0, t.UnixNano())) //nolint:gosec // Negative values are clamped.
}

// clampUint32 returns n as a uint32, clamped to [0, MaxUint32].
func clampUint32(n int) uint32 {
	if n <= 0 {
		return 0
	}
	if int64(n) > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(n)
}
