package xray

import (
	"math"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters/internal/jsonenc"
)

// The JSON writers below append to a byte slice without reflection, so a
// span costs a handful of allocations at most.

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte { return jsonenc.AppendString(b, s) }

// appendStringParts appends the concatenation of parts as one JSON string.
func appendStringParts(b []byte, parts []string) []byte {
	b = append(b, '"')
	for _, p := range parts {
		if p == "" {
			continue
		}
		start := len(b)
		b = appendString(b, p)
		// drop the quotes appendString put around p
		b = append(b[:start], b[start+1:len(b)-1]...)
	}
	return append(b, '"')
}

// appendKey appends "key": after a comma unless first.
func appendKey(b []byte, first bool, key string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendString(b, key)
	return append(b, ':')
}

// appendSeconds appends t as seconds since the epoch with microsecond
// precision, computed without floating-point rounding.
func appendSeconds(b []byte, t time.Time) []byte {
	us := t.UnixMicro()
	if us < 0 {
		us = 0
	}
	b = strconv.AppendInt(b, us/1e6, 10)
	frac := us % 1e6
	b = append(b, '.')
	for d := int64(100000); d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d%10))
	}
	return b
}

// appendTraceID appends id as an X-Ray Root: 1-{8 hex digits of time}-{24
// hex digits}.
func appendTraceID(b []byte, id trace.TraceID) []byte {
	b = append(b, '1', '-')
	b = appendHex(b, id[:4])
	b = append(b, '-')
	return appendHex(b, id[4:])
}

// appendSpanID appends id as 16 hex digits, X-Ray's segment id.
func appendSpanID(b []byte, id trace.SpanID) []byte { return appendHex(b, id[:]) }

func appendHex(b, src []byte) []byte {
	for _, c := range src {
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// appendFloat appends f as a JSON number, or as a string for NaN and ±Inf,
// which JSON cannot hold.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendString(b, strconv.FormatFloat(f, 'g', -1, 64))
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// appendValue appends an attribute value as JSON.
func appendValue(b []byte, v attribute.Value) []byte {
	switch v.Type() {
	case attribute.BOOL:
		return strconv.AppendBool(b, v.AsBool())
	case attribute.INT64:
		return strconv.AppendInt(b, v.AsInt64(), 10)
	case attribute.FLOAT64:
		return appendFloat(b, v.AsFloat64())
	case attribute.STRING:
		return appendString(b, v.AsString())
	case attribute.BOOLSLICE:
		return appendSlice(b, v.AsBoolSlice(), strconv.AppendBool)
	case attribute.INT64SLICE:
		return appendSlice(b, v.AsInt64Slice(), func(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) })
	case attribute.FLOAT64SLICE:
		return appendSlice(b, v.AsFloat64Slice(), appendFloat)
	case attribute.STRINGSLICE:
		return appendSlice(b, v.AsStringSlice(), appendString)
	default:
		return appendString(b, v.String())
	}
}

func appendSlice[T any](b []byte, xs []T, f func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = f(b, x)
	}
	return append(b, ']')
}
