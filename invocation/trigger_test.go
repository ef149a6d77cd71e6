package invocation_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/invocation"
)

const functionName = "my-function"

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// TestClassifySpans starts the invocation span from each payload's Event, as
// the runtime does, and checks what the SDK exports.
func TestClassifySpans(t *testing.T) {
	for _, tt := range triggerCases() {
		t.Run(tt.name, func(t *testing.T) {
			ev := invocation.Classify(tt.payload(t))
			require.Equal(t, tt.trigger, ev.Trigger.String())
			require.Equal(t, tt.source, ev.Source, "source %s", ev.Source)
			require.Equal(t, tt.route, ev.Route)
			for name, want := range tt.headers {
				require.Equal(t, want, ev.Headers.Get(name), "header %s", name)
			}

			exp := tracetest.NewInMemoryExporter()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
			_, span := tp.Tracer("test").Start(t.Context(), ev.SpanName(functionName), ev.SpanStartOptions()...)
			span.End()
			spans := exp.GetSpans()
			require.NoError(t, tp.Shutdown(t.Context()))

			require.Len(t, spans, 1)
			s := spans[0]
			require.Equal(t, tt.span, s.Name)
			require.Equal(t, tt.kind, s.SpanKind)
			require.ElementsMatch(t, tt.attrs, s.Attributes)
			require.Equal(t, "faas.trigger", string(s.Attributes[0].Key), "faas.trigger comes first")
			require.Len(t, s.Links, len(tt.links))
			for i, want := range tt.links {
				got := s.Links[i]
				require.Equal(t, want.traceID, got.SpanContext.TraceID().String())
				require.Equal(t, want.spanID, got.SpanContext.SpanID().String())
				require.Equal(t, want.sampled, got.SpanContext.IsSampled())
				require.True(t, got.SpanContext.IsRemote())
				require.Equal(t, []attribute.KeyValue{str("messaging.message.id", want.messageID)}, got.Attributes)
			}
		})
	}
}

func TestSourceString(t *testing.T) {
	require.Equal(t, "sqs", invocation.SourceSQS.String())
	require.Equal(t, "apigateway-http", invocation.SourceAPIGatewayHTTP.String())
	require.Equal(t, "unknown", invocation.Source(200).String())
}

func TestHeadersKeys(t *testing.T) {
	ev := invocation.Classify(testdata(t, "alb-multivalue.json"))
	require.ElementsMatch(t, []string{"host", "user-agent", "x-amzn-trace-id", "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"},
		ev.Headers.Keys())
	ev.Headers.Set("host", "ignored")
	require.Equal(t, "lb-123.us-east-2.elb.amazonaws.com", ev.Headers.Get("Host"))
	require.Empty(t, invocation.Event{}.Headers.Keys())
}

// FuzzClassify checks that no payload makes Classify panic and that its
// result is always well formed.
func FuzzClassify(f *testing.F) {
	for _, tc := range triggerCases() {
		f.Add(tc.payload(f))
	}
	f.Add([]byte(`{"Records":[{"eventSource":"aws:sqs","attributes":{"AWSTraceHeader":"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8"}}]}`))
	f.Add([]byte(`{"routeKey":"GET /x","requestContext":{"http":{"method":"GET"}}}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		ev := invocation.Classify(payload)
		require.Contains(t, invocation.Triggers(), ev.Trigger)
		require.NotEmpty(t, ev.Attributes)
		require.Equal(t, attribute.Key("faas.trigger"), ev.Attributes[0].Key)
		require.Equal(t, ev.Trigger.String(), ev.Attributes[0].Value.AsString())
		require.NotEmpty(t, ev.SpanName(functionName))
		for _, l := range ev.Links {
			require.True(t, l.SpanContext.IsValid())
		}
		_ = ev.Headers.Keys()
	})
}

var sinkEvent invocation.Event

func BenchmarkClassify(b *testing.B) {
	for _, tc := range triggerCases() {
		payload := tc.payload(b)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(payload)))
			for b.Loop() {
				sinkEvent = invocation.Classify(payload)
			}
		})
	}
}

func TestClassifySQSLinkCap(t *testing.T) {
	msgs := make([]events.SQSMessage, 300)
	for i := range msgs {
		msgs[i] = events.SQSMessage{MessageId: "m", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q",
			Attributes: map[string]string{"AWSTraceHeader": lambdaHeader}}
	}
	ev := invocation.Classify(marshal(t, events.SQSEvent{Records: msgs}))
	require.Len(t, ev.Links, 128)
	require.Contains(t, ev.Attributes, attribute.Int("messaging.batch.message_count", 300))
}

// BenchmarkUnmarshalReference decodes the same samples into aws-lambda-go's
// structs with encoding/json: the cost Classify avoids.
func BenchmarkUnmarshalReference(b *testing.B) {
	for _, bb := range []struct {
		name string
		file string
		into func() any
	}{
		{"api_gateway_rest_sample", "apigw-rest.json", func() any { return new(events.APIGatewayProxyRequest) }},
		{"sqs_batch_sample", "sqs-batch.json", func() any { return new(events.SQSEvent) }},
	} {
		payload := testdata(b, bb.file)
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := json.Unmarshal(payload, bb.into()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestRedactQuery(t *testing.T) {
	for q, want := range map[string]string{
		"":                          "",
		"a=1&b=2":                   "a=1&b=2",
		"Signature=abc":             "Signature=REDACTED",
		"a=1&AWSAccessKeyId=AKIA&b": "a=1&AWSAccessKeyId=REDACTED&b",
		"sig=x&X-Goog-Signature=y":  "sig=REDACTED&X-Goog-Signature=REDACTED",
		"signature=kept&Sig=kept":   "signature=kept&Sig=kept",
		"Signature":                 "Signature",
		"a=1&Signature=s&":          "a=1&Signature=REDACTED&",
		"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261207%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Security-Token=tok&X-Amz-Signature=f00": "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED",
	} {
		got := invocation.RedactQuery(q)
		require.Equal(t, want, got, "%q", q)
	}
}

// A presigned URL's signature never reaches a span attribute.
func TestClassifyRedactsSignatures(t *testing.T) {
	ev := invocation.Classify([]byte(`{"version":"2.0","routeKey":"$default","rawPath":"/f","rawQueryString":"X-Amz-Date=1&Signature=secret&AWSAccessKeyId=AKIA",` +
		`"requestContext":{"http":{"method":"GET","path":"/f"}}}`))
	for _, kv := range ev.Attributes {
		if kv.Key == "url.query" {
			require.Equal(t, "X-Amz-Date=1&Signature=REDACTED&AWSAccessKeyId=REDACTED", kv.Value.AsString())
			return
		}
	}
	t.Fatalf("no url.query in %v", ev.Attributes)
}
