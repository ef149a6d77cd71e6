package otlpwire_test

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/internal/otlptest"
)

// frame encodes records (each a LogRecord and its attributes) and frames
// them into a request, as the log exporter does.
func frame(t testing.TB, framer *otlpwire.Logs, recs []otlpwire.LogRecord, attrs ...[]slog.Attr) []byte {
	t.Helper()
	room := framer.HeadRoom()
	b := make([]byte, room)
	for i := range recs {
		var start int
		b, start = otlpwire.OpenLogRecord(b, &recs[i])
		if i < len(attrs) {
			for _, a := range attrs[i] {
				b = otlpwire.AppendSlogAttr(b, otlpwire.LogAttributes, "", a)
			}
		}
		b = otlpwire.Close(b, start)
	}
	return framer.Frame(b, room)
}

func decodeLogs(t testing.TB, b []byte) *collogspb.ExportLogsServiceRequest {
	t.Helper()
	var req collogspb.ExportLogsServiceRequest
	require.NoError(t, proto.Unmarshal(b, &req))
	return &req
}

func onlyRecords(t testing.TB, req *collogspb.ExportLogsServiceRequest) []*logspb.LogRecord {
	t.Helper()
	require.Len(t, req.GetResourceLogs(), 1)
	require.Len(t, req.GetResourceLogs()[0].GetScopeLogs(), 1)
	return req.GetResourceLogs()[0].GetScopeLogs()[0].GetLogRecords()
}

// TestLogRecordFields checks every field of a record and the request
// around it.
func TestLogRecordFields(t *testing.T) {
	framer := otlpwire.NewLogs(resMain, scopeRT)
	rec := otlpwire.LogRecord{
		Time: 1, Observed: 2, Severity: 17, SeverityText: "ERROR", Body: "boom",
		TraceID: traceA, SpanID: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}, Flags: 1,
	}
	req := decodeLogs(t, frame(t, framer, []otlpwire.LogRecord{rec, {}}))
	rl := req.GetResourceLogs()[0]
	require.Equal(t, "https://opentelemetry.io/schemas/1.43.0", rl.GetSchemaUrl())
	require.Equal(t, map[string]any{"service.name": "hello", "cloud.provider": "aws"}, otlptest.Attributes(rl.GetResource().GetAttributes()))
	sl := rl.GetScopeLogs()[0]
	require.Equal(t, scopeRT.Name, sl.GetScope().GetName())
	require.Equal(t, scopeRT.SchemaURL, sl.GetSchemaUrl())
	recs := sl.GetLogRecords()
	require.Len(t, recs, 2)
	r := recs[0]
	require.Equal(t, uint64(1), r.GetTimeUnixNano())
	require.Equal(t, uint64(2), r.GetObservedTimeUnixNano())
	require.Equal(t, logspb.SeverityNumber_SEVERITY_NUMBER_ERROR, r.GetSeverityNumber())
	require.Equal(t, "ERROR", r.GetSeverityText())
	require.Equal(t, "boom", r.GetBody().GetStringValue())
	require.Equal(t, traceA[:], r.GetTraceId())
	require.Equal(t, []byte{1, 2, 3, 4, 5, 6, 7, 8}, r.GetSpanId())
	require.Equal(t, uint32(1), r.GetFlags())

	empty := recs[1]
	require.IsType(t, "", otlptest.Value(empty.GetBody()), "an empty message is still a string body")
	require.Empty(t, empty.GetTraceId())
	require.Empty(t, empty.GetSpanId())
}

// TestFrameSizes frames record sets whose lengths need one to three bytes,
// with an empty and a large resource.
func TestFrameSizes(t *testing.T) {
	for _, framer := range []*otlpwire.Logs{otlpwire.NewLogs(nil, scopeUser), otlpwire.NewLogs(resMain, scopeRT)} {
		for _, n := range []int{1, 2, 100, 1000} {
			recs := make([]otlpwire.LogRecord, n)
			for i := range recs {
				recs[i] = otlpwire.LogRecord{Body: fmt.Sprint("record ", i), Severity: 9}
			}
			got := onlyRecords(t, decodeLogs(t, frame(t, framer, recs)))
			require.Len(t, got, n)
			require.Equal(t, fmt.Sprint("record ", n-1), got[n-1].GetBody().GetStringValue())
		}
	}
}

type stringer struct{}

func (stringer) String() string { return "from String" }

type nilStringer struct{ s string }

func (n *nilStringer) String() string { return n.s }

type valuer struct{}

func (valuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", "u-1"), slog.Int("age", 3))
}

type point struct{ X, Y int }

// TestSlogValues checks the mapping of every slog kind and the slog.Handler
// rules for keys and groups.
func TestSlogValues(t *testing.T) {
	when := time.Date(2026, 11, 29, 10, 0, 0, 5, time.UTC)
	tests := []struct {
		name string
		attr slog.Attr
		want map[string]any
	}{
		{name: "string", attr: slog.String("k", "v"), want: map[string]any{"k": "v"}},
		{name: "empty string", attr: slog.String("k", ""), want: map[string]any{"k": ""}},
		{name: "int", attr: slog.Int("k", -3), want: map[string]any{"k": int64(-3)}},
		{name: "uint", attr: slog.Uint64("k", 7), want: map[string]any{"k": int64(7)}},
		{name: "huge uint", attr: slog.Uint64("k", math.MaxUint64), want: map[string]any{"k": "18446744073709551615"}},
		{name: "float", attr: slog.Float64("k", 0), want: map[string]any{"k": 0.0}},
		{name: "bool", attr: slog.Bool("k", false), want: map[string]any{"k": false}},
		{name: "duration", attr: slog.Duration("k", 1500*time.Millisecond), want: map[string]any{"k": int64(1_500_000_000)}},
		{name: "time", attr: slog.Time("k", when), want: map[string]any{"k": "2026-11-29T10:00:00.000000005Z"}},
		{name: "error", attr: slog.Any("err", errors.New("denied")), want: map[string]any{"err": "denied"}},
		{name: "bytes", attr: slog.Any("k", []byte{1, 2}), want: map[string]any{"k": []byte{1, 2}}},
		{name: "stringer", attr: slog.Any("k", stringer{}), want: map[string]any{"k": "from String"}},
		{name: "nil stringer", attr: slog.Any("k", (*nilStringer)(nil)), want: map[string]any{"k": "<nil>"}},
		{name: "struct", attr: slog.Any("k", point{1, 2}), want: map[string]any{"k": "{X:1 Y:2}"}},
		{name: "nil", attr: slog.Any("k", nil), want: map[string]any{"k": nil}},
		{name: "valuer", attr: slog.Any("user", valuer{}), want: map[string]any{"user.id": "u-1", "user.age": int64(3)}},
		{name: "group", attr: slog.Group("req", slog.String("method", "GET"), slog.Group("h", slog.Int("n", 1))),
			want: map[string]any{"req.method": "GET", "req.h.n": int64(1)}},
		{name: "inline group", attr: slog.Group("", slog.String("a", "b")), want: map[string]any{"a": "b"}},
		{name: "empty group", attr: slog.Group("g"), want: map[string]any{}},
		{name: "empty attr", attr: slog.Attr{}, want: map[string]any{}},
		{name: "empty key", attr: slog.String("", "v"), want: map[string]any{"": "v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := frame(t, otlpwire.NewLogs(nil, scopeUser), []otlpwire.LogRecord{{}}, []slog.Attr{tt.attr})
			got := otlptest.Attributes(onlyRecords(t, decodeLogs(t, b))[0].GetAttributes())
			require.Equal(t, tt.want, got)
		})
	}
}

// TestSlogPrefix checks that a handler's open groups prefix every key.
func TestSlogPrefix(t *testing.T) {
	b, start := otlpwire.Open(nil, 1)
	b = otlpwire.AppendSlogAttr(b, otlpwire.LogAttributes, "a.b", slog.Group("c", slog.Int("d", 1)))
	b = otlpwire.AppendSlogAttr(b, otlpwire.LogAttributes, otlpwire.JoinKey("", "x"), slog.Int("y", 2))
	b = otlpwire.Close(b, start)
	var rec logspb.LogRecord
	require.NoError(t, proto.Unmarshal(b[2:], &rec))
	require.Equal(t, map[string]any{"a.b.c.d": int64(1), "x.y": int64(2)}, otlptest.Attributes(rec.GetAttributes()))
}

// TestSlogNestedGroupValue checks a group reached as a value (inside a
// LogValuer's group of groups), which is flattened too.
func TestSlogNestedGroupValue(t *testing.T) {
	b, start := otlpwire.Open(nil, 1)
	b = otlpwire.AppendSlogValue(b, 5, slog.GroupValue(slog.String("k", "v")))
	b = otlpwire.Close(b, start)
	var rec logspb.LogRecord
	require.NoError(t, proto.Unmarshal(b[2:], &rec))
	require.Equal(t, map[string]any{"k": "v"}, otlptest.Value(rec.GetBody()))
}
