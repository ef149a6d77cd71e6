package otlpwire_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// decodeTraces decodes an ExportTraceServiceRequest with the official
// generated types.
func decodeTraces(t testing.TB, b []byte) *coltracepb.ExportTraceServiceRequest {
	t.Helper()
	var req coltracepb.ExportTraceServiceRequest
	require.NoError(t, proto.Unmarshal(b, &req))
	return &req
}

// sdkTraces returns the request the OpenTelemetry SDK's OTLP/HTTP exporter
// sends for spans.
func sdkTraces(t *testing.T, spans []sdktrace.ReadOnlySpan) *coltracepb.ExportTraceServiceRequest {
	t.Helper()
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = otlptest.ReadBody(r)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer srv.Close()
	exp, err := otlptracehttp.New(t.Context(), otlptracehttp.WithEndpointURL(srv.URL+"/v1/traces"),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
	require.NoError(t, err)
	require.NoError(t, exp.ExportSpans(t.Context(), spans))
	require.NoError(t, exp.Shutdown(context.Background()))
	return decodeTraces(t, body)
}

// sortResources orders resource spans by service name: the SDK groups them
// in a map.
func sortResources(req *coltracepb.ExportTraceServiceRequest) {
	name := func(rs *tracepb.ResourceSpans) string {
		return otlptest.Attributes(rs.GetResource().GetAttributes())["service.name"].(string)
	}
	slices.SortFunc(req.ResourceSpans, func(a, b *tracepb.ResourceSpans) int { return strings.Compare(name(a), name(b)) })
}

// TestTracesMatchSDK checks that spans using every field, over two
// resources and two scopes, encode to the request the OpenTelemetry SDK's
// own exporter sends.
func TestTracesMatchSDK(t *testing.T) {
	spans := richSpans().Snapshots()
	b, n := otlpwire.NewTraces(resMain).Append([]byte(nil), spans)
	require.Equal(t, len(spans), n)
	got := decodeTraces(t, b)
	want := sdkTraces(t, spans)
	sortResources(got)
	sortResources(want)
	require.Empty(t, cmp.Diff(want, got, protocmp.Transform()))
}

// TestTracesFields checks the fields whose encoding is Lumen's choice, and
// the grouping, against explicit values.
func TestTracesFields(t *testing.T) {
	stubs := richSpans()
	var enc otlpwire.Traces // the zero value works, and caches as it goes
	b, _ := enc.Append(nil, stubs.Snapshots())
	req := decodeTraces(t, b)

	require.Len(t, req.GetResourceSpans(), 2)
	main := req.GetResourceSpans()[0]
	require.Equal(t, "https://opentelemetry.io/schemas/1.43.0", main.GetSchemaUrl())
	require.Equal(t, map[string]any{"service.name": "hello", "cloud.provider": "aws"}, otlptest.Attributes(main.GetResource().GetAttributes()))
	require.Len(t, main.GetScopeSpans(), 2)
	rt, user := main.GetScopeSpans()[0], main.GetScopeSpans()[1]
	require.Equal(t, scopeRT.Name, rt.GetScope().GetName())
	require.Equal(t, scopeRT.Version, rt.GetScope().GetVersion())
	require.Equal(t, scopeRT.SchemaURL, rt.GetSchemaUrl())
	require.Equal(t, map[string]any{"scope.attr": "x"}, otlptest.Attributes(rt.GetScope().GetAttributes()))
	require.Equal(t, []string{"invoke", "post"}, spanNames(rt.GetSpans()))
	require.Equal(t, []string{"user work", "consume"}, spanNames(user.GetSpans()))
	require.Equal(t, []string{"other process"}, spanNames(req.GetResourceSpans()[1].GetScopeSpans()[0].GetSpans()))

	s := rt.GetSpans()[0]
	require.Equal(t, traceA[:], s.GetTraceId())
	require.Equal(t, []byte{0, 0, 0, 0, 0, 0, 0, 1}, s.GetSpanId())
	require.Equal(t, []byte{0, 0, 0, 0, 0, 0, 0, 9}, s.GetParentSpanId())
	require.Equal(t, "vendor=value,other=x", s.GetTraceState())
	require.Equal(t, uint32(0x301), s.GetFlags(), "sampled, parent known to be remote")
	require.Equal(t, tracepb.Span_SPAN_KIND_SERVER, s.GetKind())
	require.Equal(t, uint64(epoch.UnixNano()), s.GetStartTimeUnixNano())
	require.Equal(t, uint64(epoch.UnixNano())+1_500_000_000, s.GetEndTimeUnixNano())
	require.Equal(t, map[string]any{
		"bool": true, "false": false, "int": int64(-42), "zero": int64(0), "float": 1.5, "string": "héllo", "empty": "",
		"bytes": []byte{0, 1, 0xff}, "bools": []any{true, false}, "ints": []any{int64(1), int64(-2), int64(3)},
		"floats": []any{0.25, -1.0}, "strings": []any{"a", "", "c"}, "no strings": []any{},
		"mixed":   []any{int64(1), "two", []any{true}},
		"map":     map[string]any{"k": "v", "n": int64(7), "inner": map[string]any{"deep": true}},
		"nothing": nil,
	}, otlptest.Attributes(s.GetAttributes()))
	require.Equal(t, uint32(3), s.GetDroppedAttributesCount())
	require.Equal(t, uint32(4), s.GetDroppedEventsCount())
	require.Equal(t, uint32(5), s.GetDroppedLinksCount())
	require.Len(t, s.GetEvents(), 2)
	require.Equal(t, "exception", s.GetEvents()[0].GetName())
	require.Equal(t, uint64(epoch.UnixNano())+1_000_000, s.GetEvents()[0].GetTimeUnixNano())
	require.Equal(t, map[string]any{"exception.type": "boom"}, otlptest.Attributes(s.GetEvents()[0].GetAttributes()))
	require.Equal(t, uint32(2), s.GetEvents()[0].GetDroppedAttributesCount())
	require.Len(t, s.GetLinks(), 2)
	require.Equal(t, traceB[:], s.GetLinks()[0].GetTraceId())
	require.Equal(t, uint32(0x300), s.GetLinks()[0].GetFlags(), "not sampled, remote")
	require.Equal(t, uint32(0x101), s.GetLinks()[1].GetFlags(), "sampled, local")
	require.Equal(t, uint32(1), s.GetLinks()[0].GetDroppedAttributesCount())
	require.Equal(t, tracepb.Status_STATUS_CODE_ERROR, s.GetStatus().GetCode())
	require.Equal(t, "it failed", s.GetStatus().GetMessage())

	require.Equal(t, tracepb.Status_STATUS_CODE_OK, user.GetSpans()[0].GetStatus().GetCode())
	require.Equal(t, tracepb.Span_SPAN_KIND_CLIENT, user.GetSpans()[0].GetKind())
	require.Equal(t, uint32(0x101), user.GetSpans()[0].GetFlags(), "sampled, local parent")
	consume := user.GetSpans()[1]
	require.Empty(t, consume.GetParentSpanId())
	require.Zero(t, consume.GetStartTimeUnixNano(), "a zero time is not sent")
	require.NotNil(t, consume.GetStatus(), "the status is always present, as the SDK sends it")
}

// TestTracesReuse encodes twice into the same buffer: the second request
// is the same as the first, and nothing is allocated once warm.
func TestTracesReuse(t *testing.T) {
	spans := richSpans().Snapshots()
	enc := otlpwire.NewTraces(resMain)
	first, _ := enc.Append(nil, spans)
	first = slices.Clone(first)
	buf, _ := enc.Append(nil, spans)
	again, n := enc.Append(buf[:0], spans)
	require.Equal(t, len(spans), n)
	require.Equal(t, first, again)

	simple := spans[1:2] // no slice attributes, which the SDK copies
	allocs := testing.AllocsPerRun(20, func() { buf, _ = enc.Append(buf[:0], simple) })
	require.Zero(t, allocs)
}

// TestTracesNilSpan skips nil spans.
func TestTracesNilSpan(t *testing.T) {
	spans := richSpans().Snapshots()
	withNil := []sdktrace.ReadOnlySpan{nil, spans[1], nil}
	b, n := otlpwire.NewTraces(resMain).Append(nil, withNil)
	require.Equal(t, 1, n)
	require.Equal(t, []string{"user work"}, spanNames(decodeTraces(t, b).GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()))
	b, n = otlpwire.NewTraces(resMain).Append(nil, nil)
	require.Zero(t, n)
	require.Empty(t, b)
}

func spanNames(spans []*tracepb.Span) []string {
	out := make([]string, 0, len(spans))
	for _, s := range spans {
		out = append(out, s.GetName())
	}
	return out
}
