package e2e_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/runtime"
)

// segment is the caller's X-Ray segment an invoke names in X-Amzn-Trace-Id.
type segment struct{ root, parent string }

func newSegment(i int) segment {
	return segment{root: fmt.Sprintf("1-6745f0b2-%024x", 0xdef000+i), parent: fmt.Sprintf("%016x", 0x7ac000+i)}
}

// header is the invoke's X-Amzn-Trace-Id with the given Sampled value.
func (s segment) header(sampled string) http.Header {
	return http.Header{rie.HeaderTraceID: {"Root=" + s.root + ";Parent=" + s.parent + ";Sampled=" + sampled}}
}

// traceID is Root as an OpenTelemetry trace id: 32 hex digits.
func (s segment) traceID() string {
	return strings.ReplaceAll(strings.TrimPrefix(s.root, "1-"), "-", "")
}

func hexID(b []byte) string { return hex.EncodeToString(b) }

// spansOf returns the spans of the trace traceID (hex) among all.
func spansOf(all []*tracepb.Span, traceID string) []*tracepb.Span {
	var out []*tracepb.Span
	for _, s := range all {
		if hexID(s.GetTraceId()) == traceID {
			out = append(out, s)
		}
	}
	return out
}

// waitSpans waits until ok holds for the spans the collector forwarded, and
// returns them. Each round waits for at least one more span to arrive.
func waitSpans(t *testing.T, c *collector.Collector, what string, ok func([]*tracepb.Span) bool) []*tracepb.Span {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	for {
		all := c.Spans()
		if ok(all) {
			return all
		}
		if _, err := c.WaitSpans(ctx, len(all)+1); err != nil {
			t.Fatalf("waiting for %s: %v; %d spans arrived:\n%s", what, err, len(all), spanSummary(c.Spans()))
		}
	}
}

// waitTrace waits until at least n spans of traceID have arrived.
func waitTrace(t *testing.T, c *collector.Collector, traceID string, n int) []*tracepb.Span {
	t.Helper()
	all := waitSpans(t, c, fmt.Sprintf("%d spans of trace %s", n, traceID), func(all []*tracepb.Span) bool {
		return len(spansOf(all, traceID)) >= n
	})
	return spansOf(all, traceID)
}

func spanSummary(spans []*tracepb.Span) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&b, "  %s %s span=%s parent=%s\n", s.GetName(), hexID(s.GetTraceId()), hexID(s.GetSpanId()), hexID(s.GetParentSpanId()))
	}
	return b.String()
}

// named returns the only span called name.
func named(t *testing.T, spans []*tracepb.Span, name string) *tracepb.Span {
	t.Helper()
	var found []*tracepb.Span
	for _, s := range spans {
		if s.GetName() == name {
			found = append(found, s)
		}
	}
	require.Len(t, found, 1, "spans named %q among:\n%s", name, spanSummary(spans))
	return found[0]
}

// Span flags of OTLP: the W3C trace flags, and whether the parent is remote.
const (
	flagSampled      = uint32(1)
	flagHasIsRemote  = uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK)
	flagParentRemote = uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK)
)

// requireInvocationTree checks the runtime's spans of one invocation: the
// invocation span called name, of kind, a child of the remote parent seg
// names, with lumen.receive, lumen.handle and lumen.post as its children,
// and no lumen.init (nothing is a cold start in managed-instances mode). It
// returns the invocation and handle spans.
func requireInvocationTree(t *testing.T, spans []*tracepb.Span, seg segment, name string, kind tracepb.Span_SpanKind) (inv, handle *tracepb.Span) {
	t.Helper()
	inv = named(t, spans, name)
	require.Equal(t, seg.traceID(), hexID(inv.GetTraceId()), "trace id = the header's Root")
	require.Equal(t, seg.parent, hexID(inv.GetParentSpanId()), "parent span id = the header's Parent")
	require.Equal(t, flagHasIsRemote|flagParentRemote, inv.GetFlags()&(flagHasIsRemote|flagParentRemote), "the parent is remote")
	require.Equal(t, flagSampled, inv.GetFlags()&flagSampled, "sampled")
	require.Equal(t, kind, inv.GetKind())
	for _, phase := range []string{runtime.SpanReceive, runtime.SpanHandle, runtime.SpanPost} {
		s := named(t, spans, phase)
		require.Equal(t, hexID(inv.GetSpanId()), hexID(s.GetParentSpanId()), "%s is a child of the invocation span", phase)
		require.Equal(t, flagHasIsRemote, s.GetFlags()&(flagHasIsRemote|flagParentRemote), "%s has a local parent", phase)
		require.Equal(t, tracepb.Span_SPAN_KIND_INTERNAL, s.GetKind(), phase)
		require.GreaterOrEqual(t, s.GetStartTimeUnixNano(), inv.GetStartTimeUnixNano(), "%s starts within the invocation", phase)
		require.LessOrEqual(t, s.GetEndTimeUnixNano(), inv.GetEndTimeUnixNano(), "%s ends within the invocation", phase)
		if phase == runtime.SpanHandle {
			handle = s
		}
	}
	for _, s := range spans {
		require.NotEqual(t, runtime.SpanInit, s.GetName(), "no cold start in managed-instances mode")
	}
	return inv, handle
}

// handlerSpan is the "span" and "log" ops' view of the handler's context.
type handlerSpan struct {
	RequestID   string `json:"requestId"`
	TraceID     string `json:"traceId"`
	SpanID      string `json:"spanId"`
	Sampled     bool   `json:"sampled"`
	ChildSpanID string `json:"childSpanId"`
}

// decodeHandlerSpan requires a successful answer of the "span" or "log" op.
func decodeHandlerSpan(t *testing.T, resp *rie.Response) *handlerSpan {
	t.Helper()
	require.Empty(t, resp.FunctionError(), "body: %s", resp.Body)
	var r struct {
		Span *handlerSpan `json:"span"`
	}
	require.NoError(t, json.Unmarshal(resp.Body, &r), "body: %s", resp.Body)
	require.NotNil(t, r.Span, "body: %s", resp.Body)
	return r.Span
}

// linkSummary returns "traceid/spanid/messageid" for each link of s.
func linkSummary(s *tracepb.Span) []string {
	var out []string
	for _, l := range s.GetLinks() {
		out = append(out, fmt.Sprintf("%s/%s/%v", hexID(l.GetTraceId()), hexID(l.GetSpanId()), otlptest.Attributes(l.GetAttributes())["messaging.message.id"]))
	}
	return out
}

// eventSummary returns "name: exception.message" for each event of s.
func eventSummary(s *tracepb.Span) []string {
	var out []string
	for _, e := range s.GetEvents() {
		out = append(out, fmt.Sprintf("%s: %v", e.GetName(), otlptest.Attributes(e.GetAttributes())["exception.message"]))
	}
	return out
}
