package invocation

import (
	"go.opentelemetry.io/otel/propagation"
)

var _ propagation.TextMapCarrier = Headers{}

// Headers gives read access to the HTTP headers of an API Gateway, function
// URL or ALB event without decoding the event: names match
// case-insensitively, and a name present only in multiValueHeaders yields its
// first value. It is a propagation.TextMapCarrier, so the configured
// propagators extract from it:
//
//	ctx = otel.GetTextMapPropagator().Extract(ctx, ev.Headers)
//
// Headers refers to the payload given to [Classify]; it must not be used
// once that buffer is reused. The zero value has no headers.
type Headers struct {
	raw   []byte // the "headers" object
	multi []byte // the "multiValueHeaders" object
}

// Get returns the value of the header name, or "".
func (h Headers) Get(name string) string {
	if v := fieldFold(h.raw, name); v != nil && !isNull(v) {
		return str(v)
	}
	var first string
	elements(fieldFold(h.multi, name), func(v []byte) bool {
		first = str(v)
		return false
	})
	return first
}

// Set does nothing: the headers of an event are read-only. It is there to
// satisfy propagation.TextMapCarrier.
func (Headers) Set(string, string) {}

// Keys returns the header names, as they appear in the event.
func (h Headers) Keys() []string {
	var keys []string
	seen := func(k string) bool {
		for _, s := range keys {
			if s == k {
				return true
			}
		}
		return false
	}
	for _, obj := range [...][]byte{h.raw, h.multi} {
		members(obj, func(k, _ []byte) bool {
			if s := rawKey(k); !seen(s) {
				keys = append(keys, s)
			}
			return true
		})
	}
	return keys
}

// rawKey decodes a key as members yields it (without its quotes).
func rawKey(k []byte) string {
	for _, c := range k {
		if c == '\\' {
			q := make([]byte, 0, len(k)+2)
			q = append(q, '"')
			q = append(q, k...)
			return str(append(q, '"'))
		}
	}
	return string(k)
}
