package platform

import (
	"bytes"
	"strconv"
	"sync"
)

// scratch is the space the decoders of one delivery share, kept for the
// next one: a delivery has at most a few spans per record.
var scratch = sync.Pool{New: func() any { s := make([]spanJSON, 0, 8); return &s }}

// newDecoder returns a decoder of data with scratch space.
func newDecoder(data []byte) decoder {
	p := scratch.Get().(*[]spanJSON)
	return decoder{data: data, spans: (*p)[:0], pooled: p}
}

// release returns the scratch space, keeping nothing of the delivery.
func (d *decoder) release() {
	s := d.spans[:cap(d.spans)]
	if d.pooled == nil || cap(s) > 64 {
		return // an unusual delivery: let it go
	}
	clear(s)
	*d.pooled = s[:0]
	scratch.Put(d.pooled)
}

// requestID reads a request id, sharing the string of the last one read
// when it is the same.
func (d *decoder) requestID(dst *string, field string) error {
	raw, plain, null, err := d.strRaw(field)
	switch {
	case err != nil || null:
	case plain && string(raw) == d.lastID:
		*dst = d.lastID
	default:
		*dst = text(raw, plain)
		d.lastID = *dst
	}
	return err
}

// strRaw reads a string field: its raw bytes and whether they are its
// text (see rawString), or null.
func (d *decoder) strRaw(field string) (raw []byte, plain, null bool, err error) {
	switch c := d.ws(); c {
	case '"':
		raw, plain, err = d.rawString()
		return raw, plain, false, err
	case 'n':
		return nil, false, true, d.literal("null")
	default:
		if _, err := d.skip(); err != nil {
			return nil, false, false, err
		}
		return nil, false, false, &typeError{field: field, got: kind(c), want: "a string"}
	}
}

// str reads a string field into *dst; null leaves it as it was.
func (d *decoder) str(dst *string, field string) error {
	raw, plain, null, err := d.strRaw(field)
	switch {
	case err != nil || null:
	case plain:
		*dst = intern(raw)
	default:
		*dst = unquote(raw)
	}
	return err
}

// text returns a string field's text as strRaw read it.
func text(raw []byte, plain bool) string {
	switch {
	case len(raw) == 0:
		return ""
	case plain:
		return intern(raw)
	}
	return unquote(raw)
}

// num reads a number field into *dst, set reports that it was set; null
// unsets it.
func (d *decoder) num(dst *float64, set *bool, field string) error {
	c := d.ws()
	switch {
	case c == '-' || isDigit(c):
		b, err := d.number()
		if err != nil {
			return err
		}
		v, ok := parseNumber(b)
		if !ok {
			return &typeError{field: field, got: "number " + string(b), want: "a float64"}
		}
		*dst, *set = v, true
		return nil
	case c == 'n':
		*set = false
		return d.literal("null")
	default:
		if _, err := d.skip(); err != nil {
			return err
		}
		return &typeError{field: field, got: kind(c), want: "a number"}
	}
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseNumber converts a valid JSON number as strconv.ParseFloat does. The
// numbers Lambda sends (up to 15 significant digits, no exponent) take a
// path that does not allocate and is exact: both integers a float64 holds
// exactly, one correctly rounded division.
func parseNumber(b []byte) (float64, bool) {
	digits := b
	if len(b) > 0 && b[0] == '-' {
		digits = b[1:]
	}
	var mant uint64
	n, frac, dot := 0, 0, false
	for _, c := range digits {
		switch {
		case c == '.':
			dot = true
			continue
		case !isDigit(c) || n == 15:
			// An exponent or more digits: the general path.
			v, err := strconv.ParseFloat(string(b), 64)
			return v, err == nil
		}
		mant = mant*10 + uint64(c-'0')
		n++
		if dot {
			frac++
		}
	}
	v := float64(mant) / pow10[frac]
	if len(digits) < len(b) {
		v = -v
	}
	return v, true
}

// intern returns the common values Lambda sends (statuses, span names,
// types) without allocating, and a copy of any other.
func intern(b []byte) string {
	switch string(b) {
	case "success":
		return "success"
	case "error":
		return "error"
	case "failure":
		return "failure"
	case "timeout":
		return "timeout"
	case SpanResponseLatency:
		return SpanResponseLatency
	case SpanResponseDuration:
		return SpanResponseDuration
	case SpanRuntimeOverhead:
		return SpanRuntimeOverhead
	case SpanExtensionOverhead:
		return SpanExtensionOverhead
	case "on-demand":
		return "on-demand"
	case "provisioned-concurrency":
		return "provisioned-concurrency"
	case "snap-start":
		return "snap-start"
	case "lambda-managed-instances":
		return "lambda-managed-instances"
	case "init":
		return "init"
	case "invoke":
		return "invoke"
	case "X-Amzn-Trace-Id":
		return "X-Amzn-Trace-Id"
	case TypeReport:
		return TypeReport
	case TypeRuntimeDone:
		return TypeRuntimeDone
	case TypeInitReport:
		return TypeInitReport
	case TypeRestoreReport:
		return TypeRestoreReport
	case TypeFunction:
		return TypeFunction
	case TypeExtension:
		return TypeExtension
	case "platform.start", "platform.initStart", "platform.initRuntimeDone", "platform.extension",
		"platform.telemetrySubscription", "platform.logsDropped", "platform.restoreStart", "platform.restoreRuntimeDone":
		return knownType(b)
	}
	return string(b)
}

// knownType returns the type Lambda sends without allocating.
func knownType(b []byte) string {
	for _, t := range skippedTypes {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}

// skippedTypes are the event types Lambda sends that Lumen skips.
var skippedTypes = [...]string{
	"platform.start", "platform.initStart", "platform.initRuntimeDone", "platform.extension",
	"platform.telemetrySubscription", "platform.logsDropped", "platform.restoreStart", "platform.restoreRuntimeDone",
}

// is reports whether key names field as encoding/json matches names:
// exactly, or equal under Unicode case folding.
func is(key []byte, field string) bool {
	return string(key) == field || bytes.EqualFold(key, []byte(field))
}
