package platform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// decoder reads the JSON of a Telemetry API delivery in one pass, without
// reflection, validating as strictly as encoding/json: a delivery is read
// as encoding/json would read it into the schema's types (unknown fields
// ignored, keys matched case-insensitively, null leaving a field as it
// was), at a fraction of the cost. Values it keeps are copies: the body
// may be reused once it returns.
type decoder struct {
	data []byte
	pos  int
	// spans is scratch space for the spans of a record, reused from one
	// record to the next.
	spans []spanJSON
	// lastID is the last request id read: a delivery's runtimeDone and
	// report of one invocation share it.
	lastID string
	// pooled is the scratch space taken from the pool, if any.
	pooled *[]spanJSON
}

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

// syntaxError is JSON that is not JSON: the whole delivery is lost.
type syntaxError struct {
	msg    string
	offset int
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at offset %d", e.msg, e.offset) }

// typeError is a value of the wrong JSON type for its field: the event is
// lost, the rest of the delivery is read.
type typeError struct {
	field, got, want string
}

func (e *typeError) Error() string {
	if e.field == "" {
		return fmt.Sprintf("cannot unmarshal %s into %s", e.got, e.want)
	}
	return fmt.Sprintf("%s: cannot unmarshal %s into %s", e.field, e.got, e.want)
}

func (d *decoder) syntax(msg string) error { return &syntaxError{msg: msg, offset: d.pos} }

// ws skips whitespace and returns the next byte, 0 at the end.
func (d *decoder) ws() byte {
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; c {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return c
		}
	}
	return 0
}

// kind names the JSON type of the value starting with c, for errors.
func kind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// null consumes a null literal if one is next.
func (d *decoder) null() (bool, error) {
	if d.ws() != 'n' {
		return false, nil
	}
	return true, d.literal("null")
}

func (d *decoder) literal(lit string) error {
	if !bytes.HasPrefix(d.data[d.pos:], []byte(lit)) {
		return d.syntax("invalid literal")
	}
	d.pos += len(lit)
	return nil
}

// skip validates and skips one value, and returns its bytes.
func (d *decoder) skip() ([]byte, error) {
	start := d.pos
	var err error
	switch c := d.ws(); c {
	case '{':
		start = d.pos
		err = d.object(func([]byte) error { _, err := d.skip(); return err })
	case '[':
		start = d.pos
		err = d.array(func(int) error { _, err := d.skip(); return err })
	case '"':
		start = d.pos
		_, _, err = d.rawString()
	case 't':
		start = d.pos
		err = d.literal("true")
	case 'f':
		start = d.pos
		err = d.literal("false")
	case 'n':
		start = d.pos
		err = d.literal("null")
	default:
		start = d.pos
		_, err = d.number()
	}
	return d.data[start:d.pos], err
}

// object reads an object's members, calling member with each key (its
// text, unescaped) to read the value. It stops at the first syntax error;
// other errors of member are returned once the object is read.
func (d *decoder) object(member func(key []byte) error) error {
	if d.ws() != '{' {
		return d.syntax("expected an object")
	}
	d.pos++
	var first error
	if d.ws() == '}' {
		d.pos++
		return nil
	}
	for {
		if d.ws() != '"' {
			return d.syntax("expected a key")
		}
		raw, plain, err := d.rawString()
		if err != nil {
			return err
		}
		key := raw
		if !plain {
			key = []byte(unquote(raw))
		}
		if d.ws() != ':' {
			return d.syntax("expected a colon")
		}
		d.pos++
		if err := member(key); err != nil {
			if _, ok := err.(*syntaxError); ok {
				return err
			}
			if first == nil {
				first = err
			}
		}
		switch d.ws() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return first
		default:
			return d.syntax("expected a comma or the end of the object")
		}
	}
}

// array reads an array's elements, calling elem to read each, with the
// same error rules as object.
func (d *decoder) array(elem func(i int) error) error {
	if d.ws() != '[' {
		return d.syntax("expected an array")
	}
	d.pos++
	var first error
	if d.ws() == ']' {
		d.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			if _, ok := err.(*syntaxError); ok {
				return err
			}
			if first == nil {
				first = err
			}
		}
		switch d.ws() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return first
		default:
			return d.syntax("expected a comma or the end of the array")
		}
	}
}

// rawString reads a string and returns its bytes between the quotes, and
// whether they are its text as they are: no escape, valid UTF-8.
func (d *decoder) rawString() (raw []byte, plain bool, err error) {
	d.pos++ // the opening quote
	start := d.pos
	plain = true
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			raw = d.data[start:d.pos]
			d.pos++
			if !plain || !utf8.Valid(raw) {
				plain = false
			}
			return raw, plain, nil
		case c == '\\':
			plain = false
			if err := d.escape(); err != nil {
				return nil, false, err
			}
		case c < 0x20:
			return nil, false, d.syntax("control character in a string")
		default:
			d.pos++
		}
	}
	return nil, false, d.syntax("unterminated string")
}

// escape validates one escape sequence.
func (d *decoder) escape() error {
	d.pos++ // the backslash
	if d.pos >= len(d.data) {
		return d.syntax("unterminated string")
	}
	switch d.data[d.pos] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		d.pos++
		return nil
	case 'u':
		if d.pos+5 > len(d.data) {
			return d.syntax("invalid escape")
		}
		for _, h := range d.data[d.pos+1 : d.pos+5] {
			if !isHex(h) {
				return d.syntax("invalid escape")
			}
		}
		d.pos += 5
		return nil
	}
	return d.syntax("invalid escape")
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// unquote returns the text of a string's raw bytes the way encoding/json
// does (escapes resolved, invalid UTF-8 replaced). Only strings with an
// escape or a byte that is not plain UTF-8 come here.
func unquote(raw []byte) string {
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	var s string
	_ = json.Unmarshal(quoted, &s) // rawString validated it
	return s
}

// number validates a number and returns its bytes.
func (d *decoder) number() ([]byte, error) {
	start := d.pos
	p := d.pos
	if p < len(d.data) && d.data[p] == '-' {
		p++
	}
	switch {
	case p < len(d.data) && d.data[p] == '0':
		p++
	case p < len(d.data) && '1' <= d.data[p] && d.data[p] <= '9':
		for p < len(d.data) && isDigit(d.data[p]) {
			p++
		}
	default:
		return nil, d.syntax("invalid character looking for a value")
	}
	if p < len(d.data) && d.data[p] == '.' {
		p++
		if p >= len(d.data) || !isDigit(d.data[p]) {
			d.pos = p
			return nil, d.syntax("invalid number")
		}
		for p < len(d.data) && isDigit(d.data[p]) {
			p++
		}
	}
	if p < len(d.data) && (d.data[p] == 'e' || d.data[p] == 'E') {
		p++
		if p < len(d.data) && (d.data[p] == '+' || d.data[p] == '-') {
			p++
		}
		if p >= len(d.data) || !isDigit(d.data[p]) {
			d.pos = p
			return nil, d.syntax("invalid number")
		}
		for p < len(d.data) && isDigit(d.data[p]) {
			p++
		}
	}
	d.pos = p
	return d.data[start:p], nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

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

// parseTime reads an RFC 3339 time as time.Parse(time.RFC3339Nano, …)
// does. The form Lambda sends, 2006-01-02T15:04:05.000Z (any number of
// fraction digits, in UTC), takes a path that does not allocate.
func parseTime(raw []byte, plain bool) (time.Time, error) {
	if plain {
		if t, ok := parseUTC(raw); ok {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339Nano, text(raw, plain))
}

// parseUTC reads YYYY-MM-DDTHH:MM:SS[.fraction]Z, or reports that raw is
// in another form (or not a time).
func parseUTC(b []byte) (time.Time, bool) {
	if len(b) < len("2006-01-02T15:04:05Z") || b[4] != '-' || b[7] != '-' || b[10] != 'T' ||
		b[13] != ':' || b[16] != ':' || b[len(b)-1] != 'Z' {
		return time.Time{}, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	switch frac := b[19 : len(b)-1]; {
	case len(frac) == 0:
	case len(frac) >= 2 && len(frac) <= 10 && frac[0] == '.':
		n, ok := digits(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			n *= 10
		}
		nsec = n
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

// digits reads a run of decimal digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days of month m of year.
func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
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
