package xray

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// withAttrs returns stubs with attrs added to the span named name.
func withAttrs(stubs tracetest.SpanStubs, name string, attrs ...attribute.KeyValue) tracetest.SpanStubs {
	out := append(tracetest.SpanStubs{}, stubs...)
	for i := range out {
		if out[i].Name == name {
			out[i].Attributes = append(append([]attribute.KeyValue{}, out[i].Attributes...), attrs...)
		}
	}
	return out
}

// TestNestingFallback: a tree too large for one datagram is split, each
// child's tree trying to nest in turn; only a span too large on its own is
// lost, and counted.
func TestNestingFallback(t *testing.T) {
	const limit = MaxDatagramSize
	tests := []struct {
		name        string
		stubs       tracetest.SpanStubs
		wantDocs    map[string][]string // document name → names nested in it, in order
		wantDropped int
		check       func(t *testing.T, docs map[string]map[string]any)
	}{
		{
			name: "children sent separately, grandchildren still nested",
			stubs: withAttrs(withAttrs(richInvocation(), "lumen.handle", bigAttr(limit/2)),
				"lumen.post", bigAttr(limit/2)),
			wantDocs: map[string][]string{
				"GET /hello": nil, "lumen.receive": nil, "lumen.post": nil,
				"lumen.handle": {"DynamoDB", "api.example.com"},
			},
			check: func(t *testing.T, docs map[string]map[string]any) {
				inv := docs["GET /hello"]
				require.Equal(t, "53995c3f42cd8ad8", inv["parent_id"])
				for _, name := range []string{"lumen.receive", "lumen.handle", "lumen.post"} {
					require.Equal(t, inv["id"], docs[name]["parent_id"], name)
					require.Equal(t, "subsegment", docs[name]["type"])
					require.Equal(t, inv["trace_id"], docs[name]["trace_id"])
				}
				md := docs["lumen.post"]["metadata"].(map[string]any)["default"].(map[string]any)
				require.Len(t, md["big.value"], limit/2, "split, not trimmed")
			},
		},
		{
			name:  "a span too large alone is trimmed",
			stubs: withAttrs(richInvocation(), "lumen.handle", bigAttr(limit)),
			wantDocs: map[string][]string{
				"GET /hello": nil, "lumen.receive": nil, "lumen.post": nil,
				"lumen.handle": nil, "DynamoDB": nil, "api.example.com": nil,
			},
			check: func(t *testing.T, docs map[string]map[string]any) {
				require.NotContains(t, docs["lumen.handle"], "metadata")
				require.Equal(t, docs["lumen.handle"]["id"], docs["DynamoDB"]["parent_id"])
				require.Equal(t, docs["lumen.handle"]["id"], docs["api.example.com"]["parent_id"])
			},
		},
		{
			name:  "a span that never fits is dropped, its children are not",
			stubs: withAttrs(richInvocation(), "lumen.handle", attribute.String("huge", string(make([]byte, limit)))),
			wantDocs: map[string][]string{
				"GET /hello": nil, "lumen.receive": nil, "lumen.post": nil, "DynamoDB": nil, "api.example.com": nil,
			},
			wantDropped: 1,
			check: func(t *testing.T, docs map[string]map[string]any) {
				require.Equal(t, "a000000000000003", docs["DynamoDB"]["parent_id"], "still under the lost lumen.handle")
			},
		},
		{
			name:     "the invocation too large: its phases nest no more, they are leaves",
			stubs:    withAttrs(richInvocation(), "GET /hello", bigAttr(limit)),
			wantDocs: map[string][]string{"GET /hello": nil, "lumen.receive": nil, "lumen.post": nil, "lumen.handle": {"DynamoDB", "api.example.com"}},
		},
	}
	d := startDaemon(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c counter
			exp := newExporter(t, d, WithDropCounter(&c))
			err := exp.ExportSpans(t.Context(), tt.stubs.Snapshots())
			if tt.wantDropped > 0 {
				require.ErrorIs(t, err, ErrDocumentTooLarge)
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tt.wantDropped, c.get("xray/traces"))
			docs := d.nextN(t, t.Context(), len(tt.wantDocs))
			d.none(t, t.Context())
			got := map[string][]string{}
			for name, doc := range docs {
				got[name] = subsegmentNames(doc)
			}
			require.Equal(t, tt.wantDocs, got)
			if tt.check != nil {
				tt.check(t, docs)
			}
		})
	}
}

// nestedSize is the size of the datagram that carries stubs' tree nested.
func nestedSize(t *testing.T, stubs tracetest.SpanStubs) int {
	t.Helper()
	var (
		f forest
		e encoder
	)
	f.build(stubs.Snapshots())
	b, ok := e.appendSubtree([]byte(Header), &f, rootOf(&f), standalone, 1<<30)
	require.True(t, ok)
	return len(b)
}

func rootOf(f *forest) int32 {
	for i, p := range f.parent {
		if p == none {
			return int32(i)
		}
	}
	return none
}

// TestDatagramSizeEdge: a nested document of exactly MaxDatagramSize bytes
// leaves as one datagram; one byte more and it is split, nothing lost.
func TestDatagramSizeEdge(t *testing.T) {
	base := nestedSize(t, withAttrs(richInvocation(), "lumen.post", bigAttr(0)))
	fill := MaxDatagramSize - base
	require.Positive(t, fill)
	exact := withAttrs(richInvocation(), "lumen.post", bigAttr(fill))
	require.Equal(t, MaxDatagramSize, nestedSize(t, exact))

	d := startDaemon(t)
	var c counter
	exp := newExporter(t, d, WithDropCounter(&c))

	require.NoError(t, exp.ExportSpans(t.Context(), exact.Snapshots()))
	b := <-d.got
	require.Len(t, b, MaxDatagramSize)
	d.none(t, t.Context())

	over := withAttrs(richInvocation(), "lumen.post", bigAttr(fill+1))
	require.NoError(t, exp.ExportSpans(t.Context(), over.Snapshots()))
	docs := d.nextN(t, t.Context(), 4)
	d.none(t, t.Context())
	require.Equal(t, []string{"DynamoDB", "api.example.com"}, subsegmentNames(docs["lumen.handle"]))
	require.Contains(t, docs, "GET /hello")
	require.Contains(t, docs, "lumen.receive")
	require.Len(t, docs["lumen.post"]["metadata"].(map[string]any)["default"].(map[string]any)["big.value"], fill+1)
	require.Zero(t, c.get("xray/traces"))
}
