package platform

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
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
	c := d.ws()
	start := d.pos
	var err error
	switch c {
	case '{':
		err = d.object(func([]byte) error { _, err := d.skip(); return err })
	case '[':
		err = d.array(func(int) error { _, err := d.skip(); return err })
	case '"':
		_, _, err = d.rawString()
	case 't':
		err = d.literal("true")
	case 'f':
		err = d.literal("false")
	case 'n':
		err = d.literal("null")
	default:
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
		if err := keepFirst(member(key), &first); err != nil {
			return err
		}
		if more, err := d.next('}', "expected a comma or the end of the object"); !more {
			return cmp.Or(err, first)
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
		if err := keepFirst(elem(i), &first); err != nil {
			return err
		}
		if more, err := d.next(']', "expected a comma or the end of the array"); !more {
			return cmp.Or(err, first)
		}
	}
}

// keepFirst sorts the error of one member or element: a syntax error is
// returned, to end the read; the first other error is kept in first, to be
// returned once the object or array is read.
func keepFirst(err error, first *error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*syntaxError); ok {
		return err
	}
	if *first == nil {
		*first = err
	}
	return nil
}

// next reads what follows a member or element: a comma (more to read) or
// end, which closes the object or array; anything else is a syntax error.
func (d *decoder) next(end byte, msg string) (more bool, err error) {
	switch d.ws() {
	case ',':
		d.pos++
		return true, nil
	case end:
		d.pos++
		return false, nil
	default:
		return false, d.syntax(msg)
	}
}

// skipNonObject skips the next value when it is not an object and returns
// its kind, for the caller's type error; "" when an object comes next.
func (d *decoder) skipNonObject() (got string, err error) {
	c := d.ws()
	if c == '{' {
		return "", nil
	}
	if _, err := d.skip(); err != nil {
		return "", err
	}
	return kind(c), nil
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
