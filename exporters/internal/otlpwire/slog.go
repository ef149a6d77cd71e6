package otlpwire

import (
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// AppendSlogAttr appends a as attributes of field num (a LogRecord's
// [LogAttributes]), its key prefixed by prefix and a dot when prefix is not
// empty. It follows slog.Handler's rules: the value is resolved
// (LogValuer), an empty Attr is ignored, a group's attributes are
// flattened with dots ("req.method"), a group with an empty key is
// inlined, and an empty group is ignored. Values map as [AppendSlogValue]
// says.
func AppendSlogAttr(b []byte, num protowire.Number, prefix string, a slog.Attr) []byte {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return b
	}
	if a.Value.Kind() == slog.KindGroup {
		group := a.Value.Group()
		if len(group) == 0 {
			return b
		}
		if a.Key != "" {
			prefix = JoinKey(prefix, a.Key)
		}
		for _, x := range group {
			b = AppendSlogAttr(b, num, prefix, x)
		}
		return b
	}
	b, kv := Open(b, num)
	b = protowire.AppendTag(b, kvKey, protowire.BytesType)
	switch {
	case prefix == "":
		b = protowire.AppendString(b, ValidUTF8(a.Key))
	case !utf8.ValidString(prefix) || !utf8.ValidString(a.Key):
		b = protowire.AppendString(b, ValidUTF8(prefix+"."+a.Key))
	default:
		b = protowire.AppendVarint(b, uint64(len(prefix)+1+len(a.Key)))
		b = append(b, prefix...)
		b = append(b, '.')
		b = append(b, a.Key...)
	}
	b = AppendSlogValue(b, kvValue, a.Value)
	return Close(b, kv)
}

// JoinKey returns key under the group prefix: "prefix.key", or key when
// prefix is empty.
func JoinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// AppendSlogValue appends v, resolved, as the AnyValue field num: strings,
// booleans and floats as such; int64 as int; uint64 as int, or as a decimal
// string above MaxInt64; durations as int nanoseconds and times as
// RFC 3339 strings with nanoseconds, as slog's JSON handler writes them;
// errors as their message; []byte as bytes; fmt.Stringer values as their
// String; nil as an empty AnyValue; any other value as fmt's %+v. A group
// (only reached through nested values) is a key-value list.
func AppendSlogValue(b []byte, num protowire.Number, v slog.Value) []byte {
	v = v.Resolve()
	b, start := Open(b, num)
	var scratch [64]byte
	switch v.Kind() {
	case slog.KindString:
		b = AppendStringValue(b, v.String())
	case slog.KindInt64:
		b = AppendIntValue(b, v.Int64())
	case slog.KindUint64:
		if u := v.Uint64(); u <= math.MaxInt64 {
			b = AppendIntValue(b, int64(u))
		} else {
			b = appendStringBytes(b, strconv.AppendUint(scratch[:0], u, 10))
		}
	case slog.KindFloat64:
		b = AppendDoubleValue(b, v.Float64())
	case slog.KindBool:
		b = AppendBoolValue(b, v.Bool())
	case slog.KindDuration:
		b = AppendIntValue(b, int64(v.Duration()))
	case slog.KindTime:
		b = appendStringBytes(b, v.Time().AppendFormat(scratch[:0], time.RFC3339Nano))
	case slog.KindGroup:
		var kvl int
		b, kvl = Open(b, anyKVList)
		for _, a := range v.Group() {
			b = AppendSlogAttr(b, listValues, "", a)
		}
		b = Close(b, kvl)
	default:
		b = appendAny(b, v.Any())
	}
	return Close(b, start)
}

// appendAny appends the AnyValue body of a KindAny value. A String or Error
// method that panics gives "<nil>" for a nil pointer, as in slog's own
// handlers, and the panic's text otherwise.
func appendAny(b []byte, x any) (out []byte) {
	n := len(b)
	defer func() {
		if r := recover(); r != nil {
			if v := reflect.ValueOf(x); v.Kind() == reflect.Pointer && v.IsNil() {
				out = AppendStringValue(b[:n], "<nil>")
				return
			}
			out = AppendStringValue(b[:n], fmt.Sprintf("!PANIC: %v", r))
		}
	}()
	switch x := x.(type) {
	case nil:
		return b
	case error:
		return AppendStringValue(b, x.Error())
	case []byte:
		return AppendBytesValue(b, x)
	case fmt.Stringer:
		return AppendStringValue(b, x.String())
	}
	return AppendStringValue(b, fmt.Sprintf("%+v", x))
}

// appendStringBytes appends s as an AnyValue's string_value.
func appendStringBytes(b, s []byte) []byte {
	b = protowire.AppendTag(b, anyString, protowire.BytesType)
	return protowire.AppendBytes(b, s)
}
