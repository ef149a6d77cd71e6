package tracing_test

import (
	"context"
	"fmt"
	"slices"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

func ExampleParseHeader() {
	h, err := invocation.ParseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	sc := h.SpanContext()
	fmt.Println(sc.TraceID(), sc.SpanID(), sc.IsSampled())
	fmt.Println(h.Lineage())
	fmt.Println(h)
	// Output:
	// 5759e988bd862e3fe1be46a994272793 53995c3f42cd8ad8 true
	// a87bd80c:0
	// Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0
}

func ExampleClassify() {
	payload := []byte(`{
	  "version": "2.0",
	  "routeKey": "GET /items/{id}",
	  "rawPath": "/items/42",
	  "headers": {"user-agent": "curl/8.5.0"},
	  "requestContext": {
	    "domainName": "api.example.com",
	    "http": {"method": "GET", "path": "/items/42", "protocol": "HTTP/1.1", "sourceIp": "198.51.100.7", "userAgent": "curl/8.5.0"}
	  }
	}`)
	ev := invocation.Classify(payload)
	fmt.Println(ev.Trigger, ev.Source, ev.Kind, ev.SpanName("my-function"))
	for _, kv := range ev.Attributes {
		fmt.Printf("%s=%s\n", kv.Key, kv.Value.String())
	}
	// Output:
	// http apigateway-http server GET /items/{id}
	// faas.trigger=http
	// http.request.method=GET
	// url.path=/items/42
	// url.scheme=https
	// http.route=/items/{id}
	// server.address=api.example.com
	// user_agent.original=curl/8.5.0
	// client.address=198.51.100.7
	// network.protocol.version=1.1
}

// The runtime's part of one invocation: parse the trace header, classify the
// payload and start the invocation span as a child of Lambda's segment.
func ExampleNewTracerProvider() {
	exp := tracetest.NewInMemoryExporter()
	tp, err := tracing.NewTracerProvider(
		tracing.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(exp)),
		tracing.WithSampler(tracing.Sampler(nil)),
	)
	if err != nil {
		fmt.Println(err)
	}
	defer func() { _ = tp.Shutdown(context.Background()) }()

	info := &invocation.Info{TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}
	info.Lambda.AwsRequestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
	h, _ := invocation.ParseXRayHeader(info.TraceHeader)
	ev := invocation.Classify([]byte(`{"version":"0","detail-type":"Scheduled Event","source":"aws.events","time":"2026-04-09T12:00:00Z"}`))

	ctx := tracing.ContextWithRemoteParent(context.Background(), h)
	_, span := tp.Tracer("lumen").Start(ctx, ev.SpanName("nightly-report"),
		trace.WithSpanKind(ev.Kind),
		trace.WithAttributes(tracing.AppendAttributes(nil, info, ev, "7")...),
		trace.WithLinks(ev.Links...))
	span.End()

	s := exp.GetSpans()[0]
	fmt.Println(s.Name, s.SpanKind, s.SpanContext.TraceID(), s.Parent.SpanID())
	for _, kv := range s.Attributes {
		fmt.Printf("%s=%s\n", kv.Key, kv.Value.String())
	}
	// Output:
	// nightly-report server 5759e988bd862e3fe1be46a994272793 53995c3f42cd8ad8
	// faas.trigger=timer
	// faas.time=2026-04-09T12:00:00Z
	// faas.invocation_id=8476a536-e9f4-11e8-9739-2dfe598c3fcd
	// faas.coldstart=false
}

// Lumen's xray propagator forwards Lineage on outgoing calls, so Lambda's
// recursive-loop detection keeps counting.
func ExampleXRay() {
	in := propagation.MapCarrier{"X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0"}
	ctx := tracing.XRay{}.Extract(context.Background(), in)

	out := propagation.MapCarrier{}
	tracing.XRay{}.Inject(ctx, out)
	fmt.Println(out.Get("X-Amzn-Trace-Id"))
	// Output: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0
}

func ExamplePropagators() {
	p, err := tracing.Propagators("tracecontext", "baggage", "xray-lambda")
	fields := p.Fields()
	slices.Sort(fields)
	fmt.Println(fields, err)
	// Output: [X-Amzn-Trace-Id baggage traceparent tracestate] <nil>
}

// For an HTTP trigger without a sampled Lambda segment to hang under, the
// caller's own context travels in the request headers: extract it with the
// configured propagators, straight from the event's bytes.
func ExampleHeaders() {
	ev := invocation.Classify([]byte(`{
	  "version": "2.0",
	  "routeKey": "POST /orders",
	  "rawPath": "/orders",
	  "headers": {"traceparent": "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"},
	  "requestContext": {"http": {"method": "POST", "path": "/orders"}}
	}`))
	ctx := propagation.TraceContext{}.Extract(context.Background(), ev.Headers)
	sc := trace.SpanContextFromContext(ctx)
	fmt.Println(ev.SpanName("orders-api"), sc.TraceID(), sc.SpanID(), sc.IsRemote())
	// Output: POST /orders 5759e988bd862e3fe1be46a994272793 53995c3f42cd8ad8 true
}
