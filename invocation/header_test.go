package invocation_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
)

const (
	root    = "1-5759e988-bd862e3fe1be46a994272793"
	parent  = "53995c3f42cd8ad8"
	lineage = "a87bd80c:0"

	lambdaHeader = "Root=" + root + ";Parent=" + parent + ";Sampled=1;Lineage=" + lineage
	otherParent  = "0123456789abcdef"
)

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    invocation.XRayHeader
		out     string // String() of the result; in when empty
		wantErr error
	}{
		{
			name: "lambda header with lineage",
			in:   "Root=" + root + ";Parent=" + parent + ";Sampled=1;Lineage=" + lineage,
			want: invocation.XRayHeader{Root: root, Parent: parent, Sampled: invocation.SamplingSampled,
				Extra: []invocation.Field{{Key: "Lineage", Value: lineage}}},
		},
		{
			name: "not sampled",
			in:   "Root=" + root + ";Parent=" + parent + ";Sampled=0",
			want: invocation.XRayHeader{Root: root, Parent: parent, Sampled: invocation.SamplingNotSampled},
		},
		{
			name: "decision requested",
			in:   "Root=" + root + ";Sampled=?",
			want: invocation.XRayHeader{Root: root, Sampled: invocation.SamplingRequested},
		},
		{
			name: "root only",
			in:   "Root=" + root,
			want: invocation.XRayHeader{Root: root},
		},
		{
			name: "unusual order and unknown keys kept in place",
			in:   "Self=1-67891234-12456789abcdef012345678;Root=" + root + ";Foo=bar=baz;Sampled=1;Parent=" + parent,
			want: invocation.XRayHeader{Root: root, Parent: parent, Sampled: invocation.SamplingSampled,
				Extra: []invocation.Field{{Key: "Self", Value: "1-67891234-12456789abcdef012345678"}, {Key: "Foo", Value: "bar=baz"}}},
		},
		{
			name: "spaces and empty segments dropped",
			in:   " Root = " + root + " ;; Parent=" + parent + "; ",
			want: invocation.XRayHeader{Root: root, Parent: parent},
			out:  "Root=" + root + ";Parent=" + parent,
		},
		{
			name: "empty extra value kept",
			in:   "Root=" + root + ";Lineage=",
			want: invocation.XRayHeader{Root: root, Extra: []invocation.Field{{Key: "Lineage", Value: ""}}},
		},
		{name: "empty", in: "", wantErr: invocation.ErrMissingRoot},
		{name: "no root", in: "Parent=" + parent + ";Sampled=1", wantErr: invocation.ErrMissingRoot},
		{name: "segment without =", in: "Root=" + root + ";garbage", wantErr: invocation.ErrMalformedHeader},
		{name: "empty key", in: "Root=" + root + ";=x", wantErr: invocation.ErrMalformedHeader},
		{name: "duplicate root", in: "Root=" + root + ";Root=" + root, wantErr: invocation.ErrMalformedHeader},
		{name: "duplicate sampled", in: "Root=" + root + ";Sampled=1;Sampled=0", wantErr: invocation.ErrMalformedHeader},
		{name: "bad root version", in: "Root=2-5759e988-bd862e3fe1be46a994272793", wantErr: invocation.ErrInvalidRoot},
		{name: "upper-case root", in: "Root=1-5759E988-bd862e3fe1be46a994272793", wantErr: invocation.ErrInvalidRoot},
		{name: "short root", in: "Root=1-5759e988-bd862e3fe1be46a99427279", wantErr: invocation.ErrInvalidRoot},
		{name: "zero root", in: "Root=1-00000000-000000000000000000000000", wantErr: invocation.ErrInvalidRoot},
		{name: "bad parent", in: "Root=" + root + ";Parent=53995c3f42cd8ad", wantErr: invocation.ErrInvalidParent},
		{name: "zero parent", in: "Root=" + root + ";Parent=0000000000000000", wantErr: invocation.ErrInvalidParent},
		{name: "bad sampled", in: "Root=" + root + ";Sampled=yes", wantErr: invocation.ErrInvalidSampled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := invocation.ParseXRayHeader(tt.in)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.ErrorIs(t, err, invocation.ErrMalformedHeader)
				var pe *invocation.ParseError
				require.ErrorAs(t, err, &pe)
				require.Equal(t, invocation.XRayHeader{}, h)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want.Root, h.Root)
			require.Equal(t, tt.want.Parent, h.Parent)
			require.Equal(t, tt.want.Sampled, h.Sampled)
			require.Equal(t, tt.want.Extra, h.Extra)
			out := tt.out
			if out == "" {
				out = tt.in
			}
			require.Equal(t, out, h.String())
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := invocation.ParseXRayHeader("Root=" + root + ";Sampled=" + strings.Repeat("x", 100))
	require.ErrorIs(t, err, invocation.ErrInvalidSampled)
	msg := err.Error()
	require.Contains(t, msg, "Sampled=")
	require.Contains(t, msg, "invalid X-Ray Sampled")
	require.Less(t, len(msg), 120, "long values are truncated: %s", msg)
}

func TestHeaderGetAndLineage(t *testing.T) {
	h, err := invocation.ParseXRayHeader("Root=" + root + ";Parent=" + parent + ";Sampled=?;Lineage=" + lineage)
	require.NoError(t, err)
	for _, tt := range []struct{ key, want string }{
		{invocation.KeyRoot, root}, {invocation.KeyParent, parent}, {invocation.KeySampled, "?"}, {invocation.KeyLineage, lineage},
	} {
		got, ok := h.Get(tt.key)
		require.True(t, ok, tt.key)
		require.Equal(t, tt.want, got, tt.key)
	}
	_, ok := h.Get("Self")
	require.False(t, ok)
	require.Equal(t, lineage, h.Lineage())
	require.Empty(t, invocation.XRayHeader{Root: root}.Lineage())
}

func TestHeaderStringBuiltByHand(t *testing.T) {
	h := invocation.XRayHeader{Root: root, Sampled: invocation.SamplingNotSampled,
		Extra: []invocation.Field{{Key: "Lineage", Value: lineage}}}
	require.Equal(t, "Root="+root+";Sampled=0;Lineage="+lineage, h.String())
	require.Empty(t, invocation.XRayHeader{}.String())

	// Fields set on a parsed header after the fact keep the parsed order and follow it.
	p, err := invocation.ParseXRayHeader("Lineage=" + lineage + ";Root=" + root)
	require.NoError(t, err)
	p.Parent = parent
	p.Extra = append(p.Extra, invocation.Field{Key: "Self", Value: "x"})
	require.Equal(t, "Lineage="+lineage+";Root="+root+";Parent="+parent+";Self=x", p.String())
}

// headerSeeds is the seed corpus of the header fuzz targets: real Lambda,
// ALB and SQS headers and the edge cases of the table above.
var headerSeeds = []string{
	"Root=" + root + ";Parent=" + parent + ";Sampled=1;Lineage=" + lineage,
	"Root=" + root + ";Parent=" + parent + ";Sampled=0",
	"Root=" + root + ";Sampled=?",
	"Self=1-67891234-12456789abcdef012345678;Root=" + root,
	"Root=" + root + ";Parent=" + parent + ";Sampled=1;Lineage=10:1234abcd:3",
	" Root = " + root + " ;; Parent=" + parent + "; ",
	"Root=" + root + ";Lineage=",
	"Root=" + root + ";Root=" + root,
	"Parent=" + parent,
	"garbage",
	"",
	";;;",
	"Root=1-00000000-000000000000000000000000",
	"Root=" + root + ";a=b=c;=;",
}

// FuzzParseHeader checks the round-trip properties of the parser: whatever
// parses formats to a header that parses to the same fields and formats to
// itself, and input without blanks or empty segments formats to itself.
func FuzzParseHeader(f *testing.F) {
	for _, s := range headerSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := invocation.ParseXRayHeader(s)
		if err != nil {
			require.ErrorIs(t, err, invocation.ErrMalformedHeader)
			return
		}
		out := h.String()
		h2, err := invocation.ParseXRayHeader(out)
		require.NoError(t, err, "re-parse of %q (from %q)", out, s)
		require.Equal(t, h.Root, h2.Root)
		require.Equal(t, h.Parent, h2.Parent)
		require.Equal(t, h.Sampled, h2.Sampled)
		require.Equal(t, len(h.Extra), len(h2.Extra))
		for i := range h.Extra {
			require.Equal(t, h.Extra[i], h2.Extra[i])
		}
		require.Equal(t, out, h2.String())
		if canonicalInput(s) {
			require.Equal(t, s, out)
		}
	})
}

// canonicalInput reports whether s has nothing ParseXRayHeader drops: no
// whitespace around keys and values and no empty segments.
func canonicalInput(s string) bool {
	for _, seg := range strings.Split(s, ";") {
		if seg == "" {
			return false
		}
		k, v, _ := strings.Cut(seg, "=")
		if k != strings.TrimSpace(k) || v != strings.TrimSpace(v) {
			return false
		}
	}
	return true
}

// FuzzHeaderSpanContext checks that a parsed header and the span context it
// names agree, and that converting back gives the same Root and Parent.
func FuzzHeaderSpanContext(f *testing.F) {
	for _, s := range headerSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := invocation.ParseXRayHeader(s)
		if err != nil {
			return
		}
		sc := h.SpanContext()
		if h.Parent == "" {
			require.False(t, sc.IsValid())
			return
		}
		require.True(t, sc.IsValid())
		require.True(t, sc.IsRemote())
		require.Equal(t, h.Sampled == invocation.SamplingSampled, sc.IsSampled())
		back := invocation.XRayHeaderFromSpanContext(sc)
		require.Equal(t, h.Root, back.Root)
		require.Equal(t, h.Parent, back.Parent)
	})
}

var sinkHeader invocation.XRayHeader

func BenchmarkParseHeader(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"lambda", "Root=" + root + ";Parent=" + parent + ";Sampled=1"},
		{"lineage", "Root=" + root + ";Parent=" + parent + ";Sampled=1;Lineage=" + lineage},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h, err := invocation.ParseXRayHeader(bb.in)
				if err != nil {
					b.Fatal(err)
				}
				sinkHeader = h
			}
		})
	}
}

var sinkString string

func BenchmarkHeaderString(b *testing.B) {
	h, err := invocation.ParseXRayHeader("Root=" + root + ";Parent=" + parent + ";Sampled=1;Lineage=" + lineage)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		sinkString = h.String()
	}
}
