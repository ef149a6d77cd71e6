package invocation

import "strings"

// XRayHeaderName is the HTTP header that carries the X-Ray trace header between
// services. Lambda hands the same value to the runtime as
// Lambda-Runtime-Trace-Id and, with one invocation at a time, as the
// _X_AMZN_TRACE_ID environment variable.
const XRayHeaderName = "X-Amzn-Trace-Id"

// The keys of an X-Ray trace header that Lumen interprets. Every other key is
// kept verbatim in [XRayHeader.Extra].
const (
	KeyRoot    = "Root"
	KeyParent  = "Parent"
	KeySampled = "Sampled"
	KeyLineage = "Lineage"
)

// Sampling is the value of the Sampled key of an X-Ray trace header.
type Sampling uint8

const (
	// SamplingAbsent means the header has no Sampled key.
	SamplingAbsent Sampling = iota
	// SamplingNotSampled is Sampled=0: upstream decided not to sample.
	SamplingNotSampled
	// SamplingSampled is Sampled=1: upstream decided to sample.
	SamplingSampled
	// SamplingRequested is Sampled=?: upstream asks the receiver to decide.
	// It is not a decision, so it maps to an unsampled span context; the
	// sampler may still choose to sample.
	SamplingRequested
)

// String returns the header form: "", "0", "1" or "?".
func (s Sampling) String() string {
	switch s {
	case SamplingNotSampled:
		return "0"
	case SamplingSampled:
		return "1"
	case SamplingRequested:
		return "?"
	default:
		return ""
	}
}

// Field is one key=value pair of an X-Ray trace header.
type Field struct {
	Key   string
	Value string
}

// XRayHeader is a parsed X-Ray trace header:
//
//	Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0
//
// The zero value is an empty header. [ParseXRayHeader] remembers where Root,
// Parent and Sampled appeared, so String reproduces its input exactly; a
// XRayHeader built by hand is written Root, Parent, Sampled, then Extra.
type XRayHeader struct {
	// Root is the X-Ray trace id, 1-{8 hex epoch seconds}-{24 hex}.
	Root string
	// Parent is the id of the parent segment, 16 hex digits, or empty.
	Parent string
	// Sampled is the upstream sampling decision.
	Sampled Sampling
	// Extra holds every other key (Lineage, Self, …) verbatim and in the
	// order received.
	Extra []Field

	// layout records the order of the parsed fields: 'R', 'P', 'S' for the
	// known keys and 'x' for the next Extra field. Empty for an XRayHeader built
	// by hand.
	layout string
}

// Get returns the value of key, which may be Root, Parent, Sampled or any
// extra key such as Lineage.
func (h XRayHeader) Get(key string) (string, bool) {
	switch key {
	case KeyRoot:
		return h.Root, h.Root != ""
	case KeyParent:
		return h.Parent, h.Parent != ""
	case KeySampled:
		return h.Sampled.String(), h.Sampled != SamplingAbsent
	}
	for _, f := range h.Extra {
		if f.Key == key {
			return f.Value, true
		}
	}
	return "", false
}

// Lineage returns the value of the Lineage key that Lambda uses to detect
// recursive loops, or "" if absent.
func (h XRayHeader) Lineage() string {
	v, _ := h.Get(KeyLineage)
	return v
}

// ParseXRayHeader parses an X-Ray trace header. Root is required; Parent and
// Sampled are optional; every other key is kept verbatim, in order, in
// [XRayHeader.Extra]. Spaces around separators and empty segments are tolerated
// and dropped; otherwise [XRayHeader.String] returns s unchanged.
//
// Errors are [*ParseError] values wrapping ErrMissingRoot, ErrInvalidRoot,
// ErrInvalidParent, ErrInvalidSampled or ErrMalformedHeader; all of them
// match ErrMalformedHeader.
func ParseXRayHeader(s string) (XRayHeader, error) {
	var (
		h      XRayHeader
		layout [8]byte
		lay    = layout[:0]
	)
	for rest := s; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, ";")
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		key, value, ok := strings.Cut(seg, "=")
		if !ok {
			return XRayHeader{}, parseErr("", seg, ErrMalformedHeader)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key == "" {
			return XRayHeader{}, parseErr("", seg, ErrMalformedHeader)
		}
		switch key {
		case KeyRoot:
			if h.Root != "" {
				return XRayHeader{}, parseErr(key, value, ErrMalformedHeader)
			}
			if !validRoot(value) {
				return XRayHeader{}, parseErr(key, value, ErrInvalidRoot)
			}
			h.Root = value
			lay = append(lay, 'R')
		case KeyParent:
			if h.Parent != "" {
				return XRayHeader{}, parseErr(key, value, ErrMalformedHeader)
			}
			if !validParent(value) {
				return XRayHeader{}, parseErr(key, value, ErrInvalidParent)
			}
			h.Parent = value
			lay = append(lay, 'P')
		case KeySampled:
			if h.Sampled != SamplingAbsent {
				return XRayHeader{}, parseErr(key, value, ErrMalformedHeader)
			}
			switch value {
			case "0":
				h.Sampled = SamplingNotSampled
			case "1":
				h.Sampled = SamplingSampled
			case "?":
				h.Sampled = SamplingRequested
			default:
				return XRayHeader{}, parseErr(key, value, ErrInvalidSampled)
			}
			lay = append(lay, 'S')
		default:
			h.Extra = append(h.Extra, Field{Key: key, Value: value})
			lay = append(lay, 'x')
		}
	}
	if h.Root == "" {
		return XRayHeader{}, parseErr("", "", ErrMissingRoot)
	}
	if !isCanonicalLayout(lay, len(h.Extra)) {
		h.layout = string(lay)
	}
	return h, nil
}

// isCanonicalLayout reports whether lay is the order String uses for an XRayHeader
// without layout, so that the common case allocates nothing for it.
func isCanonicalLayout(lay []byte, extras int) bool {
	i := 0
	for _, k := range [...]byte{'R', 'P', 'S'} {
		if i < len(lay) && lay[i] == k {
			i++
		}
	}
	return len(lay)-i == extras
}

// String formats h as an X-Ray trace header. Empty Root and Parent and an
// absent Sampled are left out. For a parsed XRayHeader the fields keep their
// original order; fields added afterwards follow it.
func (h XRayHeader) String() string {
	n := 0
	if h.Root != "" {
		n += len(KeyRoot) + 2 + len(h.Root)
	}
	if h.Parent != "" {
		n += len(KeyParent) + 2 + len(h.Parent)
	}
	if h.Sampled != SamplingAbsent {
		n += len(KeySampled) + 3
	}
	for _, f := range h.Extra {
		n += len(f.Key) + len(f.Value) + 2
	}
	var b strings.Builder
	b.Grow(n)
	w := writer{b: &b}
	var done [3]bool
	next := 0
	for i := 0; i < len(h.layout); i++ {
		switch h.layout[i] {
		case 'R':
			w.field(KeyRoot, h.Root)
			done[0] = true
		case 'P':
			w.field(KeyParent, h.Parent)
			done[1] = true
		case 'S':
			w.field(KeySampled, h.Sampled.String())
			done[2] = true
		default:
			if next < len(h.Extra) {
				w.extra(h.Extra[next])
				next++
			}
		}
	}
	if !done[0] {
		w.field(KeyRoot, h.Root)
	}
	if !done[1] {
		w.field(KeyParent, h.Parent)
	}
	if !done[2] {
		w.field(KeySampled, h.Sampled.String())
	}
	for _, f := range h.Extra[next:] {
		w.extra(f)
	}
	return b.String()
}

type writer struct {
	b     *strings.Builder
	wrote bool
}

// field writes a known key; empty values are left out.
func (w *writer) field(key, value string) {
	if value == "" {
		return
	}
	w.extra(Field{Key: key, Value: value})
}

// extra writes any key verbatim, even with an empty value.
func (w *writer) extra(f Field) {
	key, value := f.Key, f.Value
	if w.wrote {
		w.b.WriteByte(';')
	}
	w.b.WriteString(key)
	w.b.WriteByte('=')
	w.b.WriteString(value)
	w.wrote = true
}

// validRoot reports whether s is 1-{8 hex}-{24 hex}, lower case, and not the
// all-zero trace id.
func validRoot(s string) bool {
	if len(s) != rootLen || s[0] != '1' || s[1] != '-' || s[10] != '-' {
		return false
	}
	epoch, unique := s[2:10], s[11:]
	return isLowerHex(epoch) && isLowerHex(unique) &&
		(strings.Trim(epoch, "0") != "" || strings.Trim(unique, "0") != "")
}

// validParent reports whether s is 16 lower-case hex digits, not all zero.
func validParent(s string) bool {
	return len(s) == 16 && isLowerHex(s) && strings.Trim(s, "0") != ""
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
