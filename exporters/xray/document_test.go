package xray

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

var (
	testTraceID = trace.TraceID{0x57, 0x59, 0xe9, 0x88, 0xbd, 0x86, 0x2e, 0x3f, 0xe1, 0xbe, 0x46, 0xa9, 0x94, 0x27, 0x27, 0x93}
	testParent  = trace.SpanID{0x53, 0x99, 0x5c, 0x3f, 0x42, 0xcd, 0x8a, 0xd8}
	testSpanID  = trace.SpanID{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}
	testStart   = time.Date(2026, 11, 29, 5, 0, 0, 123456789, time.UTC)
)

// stubSpan is a finished, sampled span under Lambda's function segment.
func stubSpan(name string) tracetest.SpanStub {
	return tracetest.SpanStub{
		Name: name,
		SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: testTraceID, SpanID: testSpanID, TraceFlags: trace.FlagsSampled,
		}),
		Parent: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: testTraceID, SpanID: testParent, TraceFlags: trace.FlagsSampled, Remote: true,
		}),
		SpanKind:  trace.SpanKindInternal,
		StartTime: testStart,
		EndTime:   testStart.Add(12300 * time.Microsecond),
	}
}

func TestDocuments(t *testing.T) {
	exception := func(typ, msg, stack string) sdktrace.Event {
		attrs := []attribute.KeyValue{attribute.String("exception.type", typ), attribute.String("exception.message", msg)}
		if stack != "" {
			attrs = append(attrs, attribute.String("exception.stacktrace", stack))
		}
		return sdktrace.Event{Name: "exception", Attributes: attrs}
	}
	goStack := "goroutine 7 [running]:\nmain.handler({0x1, 0x2})\n\t/src/app/main.go:42 +0x1d\nmain.main()\n\t/src/app/main.go:10 +0x25\n"

	tests := []struct {
		name  string
		edit  func(*tracetest.SpanStub)
		check func(t *testing.T, doc map[string]any)
	}{
		{
			name: "ids and times",
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, "ids and times", doc["name"])
				require.Equal(t, "0000000000000001", doc["id"])
				require.Equal(t, "1-5759e988-bd862e3fe1be46a994272793", doc["trace_id"])
				require.Equal(t, "53995c3f42cd8ad8", doc["parent_id"])
				require.Equal(t, "subsegment", doc["type"])
				require.InDelta(t, float64(testStart.UnixMicro())/1e6, doc["start_time"], 1e-6)
				require.InDelta(t, 0.0123, doc["end_time"].(float64)-doc["start_time"].(float64), 1e-6)
				for _, k := range []string{"fault", "error", "throttle", "cause", "http", "namespace", "annotations", "metadata"} {
					require.NotContains(t, doc, k)
				}
			},
		},
		{
			name: "root span is a segment",
			edit: func(s *tracetest.SpanStub) { s.Parent = trace.SpanContext{} },
			check: func(t *testing.T, doc map[string]any) {
				require.NotContains(t, doc, "parent_id")
				require.NotContains(t, doc, "type")
			},
		},
		{
			name: "error status is a fault with its description",
			edit: func(s *tracetest.SpanStub) { s.Status = sdktrace.Status{Code: codes.Error, Description: "db down"} },
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, true, doc["fault"])
				require.NotContains(t, doc, "error")
				exc := doc["cause"].(map[string]any)["exceptions"].([]any)
				require.Len(t, exc, 1)
				require.Equal(t, "db down", exc[0].(map[string]any)["message"])
			},
		},
		{
			name: "http 404 is an error",
			edit: func(s *tracetest.SpanStub) {
				s.SpanKind = trace.SpanKindServer
				s.Attributes = []attribute.KeyValue{
					attribute.String("http.request.method", "GET"), attribute.String("url.scheme", "https"),
					attribute.String("server.address", "abc.execute-api.aws"), attribute.String("url.path", "/hello"),
					attribute.String("url.query", "x=1"), attribute.String("client.address", "10.0.0.1"),
					attribute.String("user_agent.original", "curl/8"), attribute.Int("http.response.status_code", 404),
					attribute.Int("http.response.body.size", 9),
				}
			},
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, true, doc["error"])
				require.NotContains(t, doc, "fault")
				require.NotContains(t, doc, "throttle")
				require.Equal(t, map[string]any{
					"request": map[string]any{
						"method": "GET", "url": "https://abc.execute-api.aws/hello?x=1",
						"client_ip": "10.0.0.1", "user_agent": "curl/8",
					},
					"response": map[string]any{"status": float64(404), "content_length": float64(9)},
				}, doc["http"])
				require.Equal(t, map[string]any{"default": map[string]any{
					"url.scheme": "https", "server.address": "abc.execute-api.aws", "url.path": "/hello", "url.query": "x=1",
				}}, doc["metadata"])
			},
		},
		{
			name: "http 429 is a throttled error",
			edit: func(s *tracetest.SpanStub) {
				s.Attributes = []attribute.KeyValue{attribute.Int("http.status_code", 429)}
			},
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, true, doc["error"])
				require.Equal(t, true, doc["throttle"])
				require.NotContains(t, doc, "fault")
			},
		},
		{
			name: "http 503 is a fault even with status unset",
			edit: func(s *tracetest.SpanStub) {
				s.SpanKind = trace.SpanKindClient
				s.Attributes = []attribute.KeyValue{attribute.String("http.method", "POST"), attribute.Int("http.status_code", 503)}
			},
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, true, doc["fault"])
				require.NotContains(t, doc, "error")
				require.Equal(t, "remote", doc["namespace"])
				require.Equal(t, "http 503 is a fault even with status unset", doc["name"], "no host: the span name stays")
			},
		},
		{
			name: "exceptions with stacks",
			edit: func(s *tracetest.SpanStub) {
				s.SpanKind = trace.SpanKindClient
				s.Status = sdktrace.Status{Code: codes.Error, Description: "ignored: events win"}
				s.Events = []sdktrace.Event{
					exception("*net.OpError", "dial tcp: refused", goStack),
					{Name: "retry"},
					exception("*errors.errorString", "second", ""),
				}
			},
			check: func(t *testing.T, doc map[string]any) {
				exc := doc["cause"].(map[string]any)["exceptions"].([]any)
				require.Len(t, exc, 2)
				e0, e1 := exc[0].(map[string]any), exc[1].(map[string]any)
				require.Equal(t, "*net.OpError", e0["type"])
				require.Equal(t, "dial tcp: refused", e0["message"])
				require.Equal(t, true, e0["remote"])
				require.Equal(t, []any{
					map[string]any{"path": "/src/app/main.go", "line": float64(42), "label": "main.handler({0x1, 0x2})"},
					map[string]any{"path": "/src/app/main.go", "line": float64(10), "label": "main.main()"},
				}, e0["stack"])
				require.Equal(t, "second", e1["message"])
				require.NotContains(t, e1, "stack")
				require.NotEqual(t, e0["id"], e1["id"])
			},
		},
		{
			name: "annotations and metadata",
			edit: func(s *tracetest.SpanStub) {
				s.Attributes = []attribute.KeyValue{
					attribute.String("tenant_id", "t-1"), attribute.Int("Retries", 3), attribute.Float64("ratio", 0.5),
					attribute.Bool("cold", true), attribute.Float64("nan", math.NaN()),
					attribute.String("faas.trigger", "http"), attribute.String("has space", "x"),
					attribute.StringSlice("tags", []string{"a", "b"}), attribute.Int64Slice("ints", []int64{1, 2}),
					attribute.String("quote", "a\"b\\c\n\x01é\xff"),
				}
			},
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, map[string]any{
					"tenant_id": "t-1", "Retries": float64(3), "ratio": 0.5, "cold": true, "quote": "a\"b\\c\n\x01é\ufffd",
				}, doc["annotations"])
				require.Equal(t, map[string]any{"default": map[string]any{
					"nan": "NaN", "faas.trigger": "http", "has space": "x",
					"tags": []any{"a", "b"}, "ints": []any{float64(1), float64(2)},
				}}, doc["metadata"])
			},
		},
		{
			name: "aws sdk call",
			edit: func(s *tracetest.SpanStub) {
				s.SpanKind = trace.SpanKindClient
				s.Attributes = []attribute.KeyValue{
					attribute.String("rpc.system", "aws-api"), attribute.String("rpc.service", "DynamoDB"),
					attribute.String("rpc.method", "GetItem"), attribute.String("cloud.region", "eu-west-1"),
					attribute.String("aws.request_id", "R1"),
				}
			},
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, "aws", doc["namespace"])
				require.Equal(t, "DynamoDB", doc["name"])
				require.Equal(t, map[string]any{"operation": "GetItem", "region": "eu-west-1", "request_id": "R1"}, doc["aws"])
			},
		},
		{
			name: "aws sdk call, newer conventions (otelaws)",
			edit: func(s *tracetest.SpanStub) {
				s.SpanKind = trace.SpanKindClient
				s.Attributes = []attribute.KeyValue{
					attribute.String("rpc.system.name", "aws-api"), attribute.String("rpc.method", "DynamoDB/GetItem"),
					attribute.String("cloud.region", "eu-west-1"),
				}
			},
			check: func(t *testing.T, doc map[string]any) {
				require.Equal(t, "aws", doc["namespace"])
				require.Equal(t, "DynamoDB", doc["name"])
				require.Equal(t, map[string]any{"operation": "GetItem", "region": "eu-west-1"}, doc["aws"])
			},
		},
		{
			name: "name sanitised",
			edit: func(s *tracetest.SpanStub) { s.Name = "GET /items/{id} *" + strings.Repeat("x", 300) },
			check: func(t *testing.T, doc map[string]any) {
				name := doc["name"].(string)
				require.Len(t, name, maxNameLen)
				require.True(t, strings.HasPrefix(name, "GET /items/_id_ _xx"), name)
			},
		},
	}
	d := startDaemon(t)
	exp := newExporter(t, d)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stubSpan(tt.name)
			if tt.edit != nil {
				tt.edit(&s)
			}
			require.NoError(t, exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{s.Snapshot()}))
			tt.check(t, d.next(t, t.Context()))
		})
	}
}

func TestIndexedAttributesAndLimit(t *testing.T) {
	d := startDaemon(t)
	exp := newExporter(t, d, WithIndexedAttributes("faas.coldstart", "faas.trigger"))
	s := stubSpan("indexed")
	s.Attributes = []attribute.KeyValue{attribute.Bool("faas.coldstart", true), attribute.String("faas.trigger", "http")}
	for i := range 60 {
		s.Attributes = append(s.Attributes, attribute.Int("a"+strconv.Itoa(i), i))
	}
	require.NoError(t, exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{s.Snapshot()}))
	doc := d.next(t, t.Context())
	ann := doc["annotations"].(map[string]any)
	require.Len(t, ann, maxAnnotations)
	require.Equal(t, true, ann["faas_coldstart"])
	require.Equal(t, "http", ann["faas_trigger"])
	require.Equal(t, float64(47), ann["a47"])
	md := doc["metadata"].(map[string]any)["default"].(map[string]any)
	require.Len(t, md, 12, "attributes past the 50th annotation go to metadata")
	require.Equal(t, float64(59), md["a59"])
}

// TestOversizeDocuments checks trimming (metadata first, then stacks) and the
// drop of a document that cannot fit.
func TestOversizeDocuments(t *testing.T) {
	big := strings.Repeat("x", 70_000)
	tests := []struct {
		name        string
		attrs       []attribute.KeyValue
		stack       string
		wantDropped int
		check       func(t *testing.T, doc map[string]any)
	}{
		{
			name:  "metadata trimmed",
			attrs: []attribute.KeyValue{attribute.String("big.value", big), attribute.String("keep", "me")},
			check: func(t *testing.T, doc map[string]any) {
				require.NotContains(t, doc, "metadata")
				require.Equal(t, map[string]any{"keep": "me"}, doc["annotations"])
			},
		},
		{
			name:  "stack trimmed",
			stack: "goroutine 1 [running]:\n" + strings.Repeat("main.f()\n\t/"+strings.Repeat("p", 2000)+".go:1 +0x1\n", 40),
			check: func(t *testing.T, doc map[string]any) {
				exc := doc["cause"].(map[string]any)["exceptions"].([]any)
				require.Equal(t, "boom", exc[0].(map[string]any)["message"])
				require.NotContains(t, exc[0], "stack")
			},
		},
		{
			name:        "dropped",
			attrs:       []attribute.KeyValue{attribute.String("annotation", big)},
			wantDropped: 1,
		},
	}
	d := startDaemon(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c counter
			exp := newExporter(t, d, WithDropCounter(&c))
			s := stubSpan(tt.name)
			s.Attributes = tt.attrs
			if tt.stack != "" {
				s.Events = []sdktrace.Event{{Name: "exception", Attributes: []attribute.KeyValue{
					attribute.String("exception.message", "boom"), attribute.String("exception.stacktrace", tt.stack),
				}}}
			}
			ok := stubSpan("fits")
			err := exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{s.Snapshot(), ok.Snapshot()})
			require.Equal(t, tt.wantDropped, c.get("xray/traces"))
			if tt.wantDropped > 0 {
				require.ErrorIs(t, err, ErrDocumentTooLarge)
				var ee *ExportError
				require.ErrorAs(t, err, &ee)
				require.Equal(t, tt.wantDropped, ee.Dropped)
				require.Equal(t, "fits", d.next(t, t.Context())["name"], "the rest of the batch is still sent")
				return
			}
			require.NoError(t, err)
			doc := d.next(t, t.Context())
			require.Equal(t, tt.name, doc["name"])
			tt.check(t, doc)
			require.Equal(t, "fits", d.next(t, t.Context())["name"])
		})
	}
}
