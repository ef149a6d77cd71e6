package otlpwire

import (
	"go.opentelemetry.io/otel/attribute"
	"google.golang.org/protobuf/encoding/protowire"
)

// Fields of opentelemetry.proto.common.v1 messages.
const (
	// KeyValue.
	kvKey   protowire.Number = 1
	kvValue protowire.Number = 2

	// AnyValue: a oneof, so a zero value is still encoded.
	anyString protowire.Number = 1
	anyBool   protowire.Number = 2
	anyInt    protowire.Number = 3
	anyDouble protowire.Number = 4
	anyArray  protowire.Number = 5
	anyKVList protowire.Number = 6
	anyBytes  protowire.Number = 7

	// ArrayValue and KeyValueList.
	listValues protowire.Number = 1
)

// invalidValue is what an attribute of a type this package does not know
// is sent as, as the OpenTelemetry SDK's exporters do.
const invalidValue = "INVALID"

// AppendAttributes appends each of kvs as the repeated KeyValue field num.
func AppendAttributes(b []byte, num protowire.Number, kvs []attribute.KeyValue) []byte {
	for _, kv := range kvs {
		b = AppendAttribute(b, num, kv)
	}
	return b
}

// AppendAttribute appends kv as the KeyValue field num.
func AppendAttribute(b []byte, num protowire.Number, kv attribute.KeyValue) []byte {
	b, start := Open(b, num)
	b = AppendString(b, kvKey, string(kv.Key))
	b = appendValue(b, kvValue, kv.Value)
	return Close(b, start)
}

// AppendStringAttribute appends the KeyValue key=value (a string) as the
// field num.
func AppendStringAttribute(b []byte, num protowire.Number, key, value string) []byte {
	b, kv := Open(b, num)
	b = AppendString(b, kvKey, key)
	var v int
	b, v = Open(b, kvValue)
	b = Close(AppendStringValue(b, value), v)
	return Close(b, kv)
}

// AppendBoolAttribute appends the KeyValue key=value (a bool) as the field
// num.
func AppendBoolAttribute(b []byte, num protowire.Number, key string, value bool) []byte {
	b, kv := Open(b, num)
	b = AppendString(b, kvKey, key)
	var v int
	b, v = Open(b, kvValue)
	b = Close(AppendBoolValue(b, value), v)
	return Close(b, kv)
}

// appendValue appends v as the AnyValue field num. An EMPTY value is an
// AnyValue with no value set.
func appendValue(b []byte, num protowire.Number, v attribute.Value) []byte {
	b, start := Open(b, num)
	switch v.Type() {
	case attribute.EMPTY:
	case attribute.BOOL:
		b = AppendBoolValue(b, v.AsBool())
	case attribute.INT64:
		b = AppendIntValue(b, v.AsInt64())
	case attribute.FLOAT64:
		b = AppendDoubleValue(b, v.AsFloat64())
	case attribute.STRING:
		b = AppendStringValue(b, v.AsString())
	case attribute.BYTESLICE:
		b = AppendBytesValue(b, v.AsByteSlice())
	case attribute.BOOLSLICE:
		b = appendArray(b, v.AsBoolSlice(), AppendBoolValue)
	case attribute.INT64SLICE:
		b = appendArray(b, v.AsInt64Slice(), AppendIntValue)
	case attribute.FLOAT64SLICE:
		b = appendArray(b, v.AsFloat64Slice(), AppendDoubleValue)
	case attribute.STRINGSLICE:
		b = appendArray(b, v.AsStringSlice(), AppendStringValue)
	case attribute.SLICE:
		var arr int
		b, arr = Open(b, anyArray)
		for _, x := range v.AsSlice() {
			b = appendValue(b, listValues, x)
		}
		b = Close(b, arr)
	case attribute.MAP:
		var kvl int
		b, kvl = Open(b, anyKVList)
		b = AppendAttributes(b, listValues, v.AsMap())
		b = Close(b, kvl)
	default:
		b = AppendStringValue(b, invalidValue)
	}
	return Close(b, start)
}

// appendArray appends xs as an AnyValue's array_value, each element
// appended by appendOne.
func appendArray[T any](b []byte, xs []T, appendOne func([]byte, T) []byte) []byte {
	var arr, e int
	b, arr = Open(b, anyArray)
	for _, x := range xs {
		b, e = Open(b, listValues)
		b = Close(appendOne(b, x), e)
	}
	return Close(b, arr)
}

// The AppendXValue functions append the one field of an AnyValue body that
// holds a value of type X. Being a oneof, it is encoded even when zero.

// AppendStringValue appends s as an AnyValue's string_value, invalid UTF-8
// replaced (see [ValidUTF8]).
func AppendStringValue(b []byte, s string) []byte {
	b = protowire.AppendTag(b, anyString, protowire.BytesType)
	return protowire.AppendString(b, ValidUTF8(s))
}

// AppendBoolValue appends v as an AnyValue's bool_value.
func AppendBoolValue(b []byte, v bool) []byte {
	b = protowire.AppendTag(b, anyBool, protowire.VarintType)
	return protowire.AppendVarint(b, protowire.EncodeBool(v))
}

// AppendIntValue appends v as an AnyValue's int_value.
func AppendIntValue(b []byte, v int64) []byte {
	b = protowire.AppendTag(b, anyInt, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v)) //nolint:gosec // int64 is encoded as its two's complement.
}

// AppendDoubleValue appends v as an AnyValue's double_value.
func AppendDoubleValue(b []byte, v float64) []byte {
	return AppendDouble(b, anyDouble, v)
}

// AppendBytesValue appends v as an AnyValue's bytes_value.
func AppendBytesValue(b []byte, v []byte) []byte {
	b = protowire.AppendTag(b, anyBytes, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}
