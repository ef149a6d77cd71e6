package otlpwire_test

import (
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// valid returns what a string becomes on the wire.
func valid(s string) string { return otlpwire.ValidUTF8(s) }

// FuzzSpanAttributes encodes a span whose name and attributes (of every
// type) come from the fuzzer, decodes it with the official types and
// checks that everything round-trips.
func FuzzSpanAttributes(f *testing.F) {
	f.Add("key", "value", int64(1), 1.5, true, []byte{1})
	f.Add("", "", int64(-1), math.Copysign(0, -1), false, []byte(nil))
	f.Add("k\xff", "\xc3\x28 invalid", int64(1<<62), 1e308, true, []byte{0xff, 0})
	f.Fuzz(func(t *testing.T, key, s string, i int64, x float64, b bool, raw []byte) {
		attrs := []attribute.KeyValue{
			attribute.String(key, s),
			attribute.Int64(key+".int", i),
			attribute.Float64(key+".float", x),
			attribute.Bool(key+".bool", b),
			attribute.ByteSlice(key+".bytes", raw),
			attribute.StringSlice(key+".strings", []string{s, key}),
			attribute.Float64Slice(key+".floats", []float64{x}),
			attribute.Map(key+".map", attribute.String(s, key), attribute.Int64("i", i)),
		}
		stub := tracetest.SpanStub{Name: s, Attributes: attrs, SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1},
		}), StartTime: time.Unix(0, max(i, 1))}
		out, n := otlpwire.NewTraces(nil).Append(nil, tracetest.SpanStubs{stub}.Snapshots())
		if n != 1 {
			t.Fatalf("encoded %d spans", n)
		}
		req := decodeTraces(t, out)
		span := req.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()[0]
		if span.GetName() != valid(s) {
			t.Fatalf("name %q, want %q", span.GetName(), valid(s))
		}
		if raw == nil {
			raw = []byte{}
		}
		want := map[string]any{}
		// Later keys replace earlier ones, as in the decoded map.
		want[valid(key)] = valid(s)
		want[valid(key+".int")] = i
		want[valid(key+".float")] = x
		want[valid(key+".bool")] = b
		want[valid(key+".bytes")] = raw
		want[valid(key+".strings")] = []any{valid(s), valid(key)}
		want[valid(key+".floats")] = []any{x}
		inner := map[string]any{valid(s): valid(key)}
		inner["i"] = i
		want[valid(key+".map")] = inner
		got := otlptest.Attributes(span.GetAttributes())
		if d := cmp.Diff(want, got, cmpopts.EquateNaNs()); d != "" {
			t.Fatal(d)
		}
	})
}

// FuzzLogRecord encodes a log record whose body, group and attribute come
// from the fuzzer, frames it into a request, decodes it with the official
// types and checks that everything round-trips.
func FuzzLogRecord(f *testing.F) {
	f.Add("hello", "req", "id", "v", int64(3))
	f.Add("", "", "", "", int64(0))
	f.Add("\xff\xfe", "g\x80", "k\xc0", "\xed\xa0\x80", int64(-9))
	f.Fuzz(func(t *testing.T, body, group, key, value string, i int64) {
		framer := otlpwire.NewLogs(resMain, scopeUser)
		attrs := []slog.Attr{slog.Group(group, slog.String(key, value), slog.Int64("n", i)), slog.String(key, value)}
		out := frame(t, framer, []otlpwire.LogRecord{{Body: body, SeverityText: value, Severity: 9}}, attrs)
		recs := onlyRecords(t, decodeLogs(t, out))
		if len(recs) != 1 {
			t.Fatalf("%d records", len(recs))
		}
		r := recs[0]
		if r.GetBody().GetStringValue() != valid(body) || r.GetSeverityText() != valid(value) {
			t.Fatalf("body %q, severity text %q", r.GetBody().GetStringValue(), r.GetSeverityText())
		}
		want := map[string]any{}
		prefix := ""
		if group != "" {
			prefix = group + "."
		}
		want[valid(prefix+key)] = valid(value)
		want[valid(prefix+"n")] = i
		want[valid(key)] = valid(value)
		if d := cmp.Diff(want, otlptest.Attributes(r.GetAttributes())); d != "" {
			t.Fatal(d)
		}
	})
}

// FuzzPartialSuccess decodes arbitrary response bodies: never a panic, and
// whatever the official types decode, PartialSuccess decodes too, to the
// same values.
func FuzzPartialSuccess(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("<html>ok</html>"))
	f.Add([]byte{0x0a, 0x05, 0x08, 0x02, 0x12, 0x01, 'x'})
	f.Fuzz(func(t *testing.T, body []byte) {
		rejected, msg, err := otlpwire.PartialSuccess(body)
		var want coltracepb.ExportTraceServiceResponse
		if proto.Unmarshal(body, &want) != nil {
			return // the official decoder is stricter (UTF-8)
		}
		if err != nil {
			t.Fatalf("a valid response is refused: %v", err)
		}
		if rejected != want.GetPartialSuccess().GetRejectedSpans() || msg != want.GetPartialSuccess().GetErrorMessage() {
			t.Fatalf("got %d %q, want %d %q", rejected, msg, want.GetPartialSuccess().GetRejectedSpans(), want.GetPartialSuccess().GetErrorMessage())
		}
	})
}
