package e2e_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/lumen-rt/lumen/internal/collector"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/runtime"
)

// The tracing tests run the test function with runtime.Start's default
// telemetry, built from the environment, under the real emulator, and read
// what a real OpenTelemetry Collector forwarded (or, for X-Ray, what reached
// a UDP socket standing in for the daemon). Managed-instances mode is the one
// that passes the invoker's X-Amzn-Trace-Id to the runtime.

// tracedFunction is the function name, and so the name of the invocation
// span of an event no trigger claims.
const tracedFunction = "lumen-traced"

// noBatchTimer keeps the SDK's batch span processor from exporting on its own
// schedule (every 5 s by default): what arrives was sent by the runtime's
// flush point, after the post and before the next GET /next.
const noBatchTimer = "OTEL_BSP_SCHEDULE_DELAY=600000"

// telemetryWait bounds each wait for telemetry that should arrive; it is a
// guard against hanging, not a measure of speed.
const telemetryWait = 30 * time.Second

// otlpEnv configures the function to export spans over OTLP to endpoint,
// overriding whatever the test's own environment says.
func otlpEnv(protocol, endpoint string, extra ...string) rie.Option {
	return rie.WithEnv(append([]string{
		"OTEL_TRACES_EXPORTER=otlp",
		"OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol,
		"OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint,
		"OTEL_TRACES_SAMPLER=",
		noBatchTimer,
	}, extra...)...)
}

// apiGatewayEvent is an API Gateway HTTP API (payload 2.0) request for the
// route "GET /route", with "op" added for the test function. Its traceparent
// header names another trace: the Lambda trace header must win.
const apiGatewayEvent = `{"op":"span","version":"2.0","routeKey":"GET /route","rawPath":"/route","rawQueryString":"q=1",
 "headers":{"host":"abc123.execute-api.eu-west-1.amazonaws.com","user-agent":"lumen-e2e/1.0",
  "traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
 "requestContext":{"domainName":"abc123.execute-api.eu-west-1.amazonaws.com","routeKey":"GET /route","stage":"$default",
  "http":{"method":"GET","path":"/route","protocol":"HTTP/1.1","sourceIp":"198.51.100.7","userAgent":"lumen-e2e/1.0"}},
 "isBase64Encoded":false}`

// sqsEvent is a batch of two SQS messages from the queue "orders"; the first
// carries the producer's trace in AWSTraceHeader.
const sqsEvent = `{"op":"span","Records":[
 {"messageId":"m-1","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:orders","body":"a",
  "attributes":{"AWSTraceHeader":"Root=1-6745f0b2-00000000000000000000feed;Parent=00000000000beef1;Sampled=1"}},
 {"messageId":"m-2","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:orders","body":"b",
  "attributes":{}}]}`

// TestTracingOTLP sends invocations with distinct X-Amzn-Trace-Id headers
// through the managed-instances emulator to a function exporting over OTLP,
// and checks the spans the collector forwarded: names, kinds, parentage to
// the header's Parent, attributes, links, error status, and the handler's
// own child span under lumen.handle. Each invocation's spans are awaited
// before the next invoke is sent, with the batch processor's timer off: the
// runtime's flush point delivers them without waiting for a later event or
// for shutdown.
func TestTracingOTLP(t *testing.T) {
	bin := testfunc(t)
	tests := []struct {
		name        string
		payload     string
		sampled     string
		wantName    string
		wantKind    tracepb.Span_SpanKind
		wantAttrs   map[string]any // a subset of the invocation span's attributes
		wantLinks   []string       // "traceid/spanid/messageid" of each link
		wantError   string         // error.type; empty for a success
		wantMessage string         // the status message of a failure
		child       string         // the name of the handler's span
	}{
		{name: "handler span", payload: `{"op":"span","message":"checkout"}`, sampled: "1",
			wantName: tracedFunction, wantKind: tracepb.Span_SPAN_KIND_SERVER,
			wantAttrs: map[string]any{"faas.trigger": "other"}, child: "checkout"},
		{name: "API Gateway HTTP API", payload: apiGatewayEvent, sampled: "1",
			wantName: "GET /route", wantKind: tracepb.Span_SPAN_KIND_SERVER,
			wantAttrs: map[string]any{
				"faas.trigger": "http", "http.request.method": "GET", "http.route": "/route",
				"url.path": "/route", "url.query": "q=1", "url.scheme": "https",
				"server.address": "abc123.execute-api.eu-west-1.amazonaws.com", "user_agent.original": "lumen-e2e/1.0",
				"client.address": "198.51.100.7", "network.protocol.version": "1.1",
			}, child: "testfunc.child"},
		{name: "SQS batch", payload: sqsEvent, sampled: "1",
			wantName: "process orders", wantKind: tracepb.Span_SPAN_KIND_CONSUMER,
			wantAttrs: map[string]any{
				"faas.trigger": "pubsub", "messaging.system": "aws_sqs", "messaging.operation.type": "process",
				"messaging.destination.name": "orders", "messaging.batch.message_count": int64(2),
			},
			wantLinks: []string{"6745f0b200000000000000000000feed/00000000000beef1/m-1"}, child: "testfunc.child"},
		{name: "function error", payload: `{"op":"error","message":"card declined"}`, sampled: "1",
			wantName: tracedFunction, wantKind: tracepb.Span_SPAN_KIND_SERVER,
			wantAttrs: map[string]any{"faas.trigger": "other"},
			wantError: "ValidationError", wantMessage: "validation failed: card declined"},
		{name: "Sampled=? leaves the decision to the function", payload: `{"op":"span"}`, sampled: "?",
			wantName: tracedFunction, wantKind: tracepb.Span_SPAN_KIND_SERVER,
			wantAttrs: map[string]any{"faas.trigger": "other"}, child: "testfunc.child"},
	}
	for _, protocol := range []string{"http/protobuf", "grpc"} {
		t.Run(protocol, func(t *testing.T) {
			c := collector.Start(t)
			// One worker, so that every invocation's flush ends before the
			// next begins.
			em := rie.StartManaged(t, bin, rie.WithMaxConcurrency(1), rie.WithFunctionName(tracedFunction),
				otlpEnv(protocol, c.Endpoint(protocol)))
			for i, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					seg := newSegment(i)
					resp, err := em.Invoke(t.Context(), []byte(tt.payload), seg.header(tt.sampled))
					require.NoError(t, err)
					require.Equal(t, http.StatusOK, resp.Status, "body: %s", resp.Body)
					var hs *handlerSpan
					wantSpans := 4 // invocation, receive, handle, post
					if tt.wantError != "" {
						require.Equal(t, "Function."+tt.wantError, resp.FunctionError())
						require.Equal(t, tt.wantError, errorDocument(t, resp).Type)
					} else {
						hs = decodeHandlerSpan(t, resp)
						wantSpans++ // and the handler's own
					}

					spans := waitTrace(t, c, seg.traceID(), wantSpans)
					require.Len(t, spans, wantSpans, "spans of the invocation:\n%s", spanSummary(spans))
					inv, handle := requireInvocationTree(t, spans, seg, tt.wantName, tt.wantKind)
					got := otlptest.Attributes(inv.GetAttributes())
					for k, v := range tt.wantAttrs {
						require.Equal(t, v, got[k], "attribute %s of the invocation span", k)
					}
					require.Equal(t, false, got["faas.coldstart"])
					require.Regexp(t, `^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:`+tracedFunction+`$`, got["aws.lambda.invoked_arn"])
					require.Equal(t, got["aws.lambda.invoked_arn"], got["cloud.resource_id"])
					require.Regexp(t, uuidRE, got["faas.invocation_id"])
					require.Equal(t, tt.wantLinks, linkSummary(inv))

					if tt.wantError != "" {
						for _, s := range []*tracepb.Span{inv, handle} {
							require.Equal(t, tracepb.Status_STATUS_CODE_ERROR, s.GetStatus().GetCode(), s.GetName())
							require.Equal(t, tt.wantMessage, s.GetStatus().GetMessage(), s.GetName())
							require.Equal(t, tt.wantError, otlptest.Attributes(s.GetAttributes())["error.type"], s.GetName())
							require.Equal(t, []string{"exception: " + tt.wantMessage}, eventSummary(s), s.GetName())
						}
						post := named(t, spans, runtime.SpanPost)
						require.Equal(t, tracepb.Status_STATUS_CODE_UNSET, post.GetStatus().GetCode(), "posting the error succeeded")
						return
					}
					require.Equal(t, tracepb.Status_STATUS_CODE_UNSET, inv.GetStatus().GetCode())
					require.NotContains(t, got, "error.type")
					require.Equal(t, got["faas.invocation_id"], hs.RequestID)
					require.Equal(t, seg.traceID(), hs.TraceID, "the handler's context carries the trace")
					require.Equal(t, hexID(handle.GetSpanId()), hs.SpanID, "the handler's context carries lumen.handle")
					require.True(t, hs.Sampled)
					child := named(t, spans, tt.child)
					require.Equal(t, hs.ChildSpanID, hexID(child.GetSpanId()))
					require.Equal(t, hexID(handle.GetSpanId()), hexID(child.GetParentSpanId()), "the handler's span is a child of lumen.handle")
					require.Equal(t, map[string]any{"testfunc.op": "span"}, otlptest.Attributes(child.GetAttributes()))
				})
			}
		})
	}
}

// TestTracingSampledZero: a header with Sampled=0 (Lambda's PassThrough
// mode for requests upstream did not sample) yields no spans with the
// default sampler, and spans anyway with OTEL_TRACES_SAMPLER=always_on.
// Absence is observed through a later sampled invocation of the same single
// worker: its spans arrive after any the unsampled one could have sent.
func TestTracingSampledZero(t *testing.T) {
	bin := testfunc(t)
	c := collector.Start(t)
	tests := []struct {
		name      string
		sampler   string
		wantSpans int
	}{
		{name: "default sampler honours the header", wantSpans: 0},
		{name: "OTEL_TRACES_SAMPLER=always_on", sampler: "always_on", wantSpans: 5},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			em := rie.StartManaged(t, bin, rie.WithMaxConcurrency(1), rie.WithFunctionName(tracedFunction),
				otlpEnv("http/protobuf", c.OTLPHTTPEndpoint(), "OTEL_TRACES_SAMPLER="+tt.sampler))
			unsampled, marker := newSegment(100+2*i), newSegment(101+2*i)

			resp, err := em.InvokeJSON(t.Context(), event{Op: "span"}, unsampled.header("0"))
			require.NoError(t, err)
			hs := decodeHandlerSpan(t, resp)
			require.Equal(t, unsampled.traceID(), hs.TraceID, "the handler's context keeps the trace id")
			require.Equal(t, tt.wantSpans > 0, hs.Sampled)

			invokeOK(t, em, event{Op: "span"}, marker.header("1"))
			waitTrace(t, c, marker.traceID(), 5)
			spans := spansOf(c.Spans(), unsampled.traceID())
			require.Len(t, spans, tt.wantSpans, "spans of the Sampled=0 invocation:\n%s", spanSummary(spans))
			if tt.wantSpans > 0 {
				inv := named(t, spans, tracedFunction)
				require.Equal(t, unsampled.parent, hexID(inv.GetParentSpanId()), "still a child of the caller's segment")
				require.Equal(t, flagSampled, inv.GetFlags()&flagSampled)
			}
		})
	}
}

// TestTracingColdStartClassic: the emulator's classic mode starts the
// runtime on the first invoke, a cold start like Lambda's on-demand one
// (managed instances initialise ahead of traffic, so TestTracingOTLP sees
// none). The first invocation carries faas.coldstart=true and a lumen.init
// span; the second neither. Classic mode forwards no trace header, so each
// invocation starts a trace of its own.
func TestTracingColdStartClassic(t *testing.T) {
	c := collector.Start(t)
	em := rie.StartClassic(t, testfunc(t), rie.WithFunctionName(tracedFunction), otlpEnv("http/protobuf", c.OTLPHTTPEndpoint()))

	first := decodeHandlerSpan(t, invoke(t, em, event{Op: "span"}, nil))
	firstSpans := waitTrace(t, c, first.TraceID, 5)
	second := decodeHandlerSpan(t, invoke(t, em, event{Op: "span"}, nil))
	secondSpans := waitTrace(t, c, second.TraceID, 5)
	require.NotEqual(t, first.TraceID, second.TraceID)

	tests := []struct {
		name     string
		hs       *handlerSpan
		spans    []*tracepb.Span
		wantCold bool
	}{
		{name: "first invocation", hs: first, spans: firstSpans, wantCold: true},
		{name: "second invocation", hs: second, spans: secondSpans},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := named(t, tt.spans, tracedFunction)
			require.Empty(t, inv.GetParentSpanId(), "no trace header: the invocation span is a root")
			got := otlptest.Attributes(inv.GetAttributes())
			require.Equal(t, tt.wantCold, got["faas.coldstart"])
			require.Equal(t, tt.hs.RequestID, got["faas.invocation_id"])
			require.Equal(t, hexID(named(t, tt.spans, runtime.SpanHandle).GetSpanId()), tt.hs.SpanID)
		})
	}

	var inits []*tracepb.Span
	for _, s := range c.Spans() {
		if s.GetName() == runtime.SpanInit {
			inits = append(inits, s)
		}
	}
	require.Len(t, inits, 1, "one lumen.init, for the cold start only:\n%s", spanSummary(c.Spans()))
	inv := named(t, firstSpans, tracedFunction)
	require.LessOrEqual(t, inits[0].GetEndTimeUnixNano(), inv.GetStartTimeUnixNano(), "init ends before the first invocation")
}

// TestTracingInitSpanInFirstInvocationTraceWithoutHeader: runtime.SpanInit
// is documented to lie "in the first invocation's trace". Without a trace
// header (classic mode; any emulator or host that sends none) the runtime
// starts lumen.init from a context with no span, so it becomes the root of a
// trace of its own, unrelated to the invocation span (runtime/telemetry.go,
// telemetry.begin). This test fails until lumen.init is parented under the
// invocation span (or shares its trace) when there is no remote parent.
func TestTracingInitSpanInFirstInvocationTraceWithoutHeader(t *testing.T) {
	c := collector.Start(t)
	em := rie.StartClassic(t, testfunc(t), rie.WithFunctionName(tracedFunction), otlpEnv("http/protobuf", c.OTLPHTTPEndpoint()))
	first := decodeHandlerSpan(t, invoke(t, em, event{Op: "span"}, nil))
	all := waitSpans(t, c, "the first invocation's spans and lumen.init", func(all []*tracepb.Span) bool {
		return len(spansOf(all, first.TraceID)) >= 5 && len(all) >= 6
	})
	initSpan := named(t, all, runtime.SpanInit)
	require.Equal(t, first.TraceID, hexID(initSpan.GetTraceId()),
		"lumen.init is not in the first invocation's trace:\n%s", spanSummary(all))
}

// TestTracingConcurrentInvocationsFlushTheirOwnSpans: with two workers, two
// invocations that end together must each have their spans delivered by the
// flush after their own post. The flush point skips a flusher that another
// worker's flush is already running (runtime/flush.go, flushPoint.flush:
// "Another worker's flush is running it: nothing to report"), so the spans
// that ended after that running flush drained the batch processor stay in
// memory until a later invocation's flush, or shutdown. The invocations
// meet at a barrier so that their flushes overlap; a few rounds make the
// overlap likely. This test fails until an invocation whose flush finds the
// flusher busy waits for it and flushes again, within its budget.
func TestTracingConcurrentInvocationsFlushTheirOwnSpans(t *testing.T) {
	const workers, rounds = 2, 5
	c := collector.Start(t)
	em := rie.StartManaged(t, testfunc(t), rie.WithMaxConcurrency(workers), rie.WithFunctionName(tracedFunction),
		otlpEnv("http/protobuf", c.OTLPHTTPEndpoint(), "LUMEN_METRICS_EXPORTER=none", "AWS_LAMBDA_LOG_LEVEL=ERROR"))
	for round := range rounds {
		segs := make([]segment, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for i := range workers {
			segs[i] = newSegment(400 + workers*round + i)
			wg.Go(func() {
				ev := event{Op: "log", Message: fmt.Sprintf("round %d", round), N: workers}
				var resp *rie.Response
				if resp, errs[i] = em.InvokeJSON(t.Context(), ev, segs[i].header("1")); errs[i] == nil && resp.FunctionError() != "" {
					errs[i] = fmt.Errorf("invoke failed: %s", resp.Body)
				}
			})
		}
		wg.Wait()
		for i := range workers {
			require.NoError(t, errs[i])
		}
		// No further invocation is sent: each invocation's own flush must
		// have delivered its four spans.
		for i := range workers {
			waitTrace(t, c, segs[i].traceID(), 4)
		}
	}
}
