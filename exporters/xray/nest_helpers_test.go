package xray

import (
	"maps"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// subsegments returns the nested documents of doc, by name.
func subsegments(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	raw, _ := doc["subsegments"].([]any)
	for _, s := range raw {
		m := s.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

// subsegmentNames returns the names of doc's nested documents, in order.
func subsegmentNames(doc map[string]any) []string {
	var names []string
	raw, _ := doc["subsegments"].([]any)
	for _, s := range raw {
		names = append(names, s.(map[string]any)["name"].(string))
	}
	return names
}

// richInvocation is an invocation whose spans carry every kind of field:
// http, aws, cause with a stack, fault, error, throttle, annotations and
// metadata; a lumen.handle with an AWS call and an HTTP call under it.
func richInvocation() tracetest.SpanStubs {
	stubs := invocationStubs() // receive, handle, post, inv
	handle := stubs[1]
	handle.Status = sdktrace.Status{Code: codes.Error, Description: "handler failed"}
	handle.Events = []sdktrace.Event{{Name: "exception", Attributes: []attribute.KeyValue{
		attribute.String("exception.type", "*errors.errorString"), attribute.String("exception.message", "boom"),
		attribute.String("exception.stacktrace", "goroutine 1 [running]:\nmain.handler()\n\t/src/main.go:12 +0x1d\n"),
	}}}
	handle.Attributes = []attribute.KeyValue{attribute.String("tenant_id", "t-1"), attribute.StringSlice("tags", []string{"a"})}
	stubs[1] = handle
	inv := stubs[3]
	inv.Attributes = append(inv.Attributes, attribute.StringSlice("http.request.header.x-forwarded-for", []string{"203.0.113.9, 10.0.0.1"}))
	stubs[3] = inv
	child := func(name string, b byte, startUs int) tracetest.SpanStub {
		return tracetest.SpanStub{
			Name: name, SpanKind: trace.SpanKindClient, Parent: handle.SpanContext,
			SpanContext: handle.SpanContext.WithSpanID(trace.SpanID{0xa0, 0, 0, 0, 0, 0, 0, b}),
			StartTime:   testStart.Add(time.Duration(startUs) * time.Microsecond),
			EndTime:     testStart.Add(time.Duration(startUs+300) * time.Microsecond),
		}
	}
	dynamo := child("DynamoDB.GetItem", 5, 100)
	dynamo.Attributes = []attribute.KeyValue{
		attribute.String("rpc.system", "aws-api"), attribute.String("rpc.service", "DynamoDB"),
		attribute.String("rpc.method", "GetItem"), attribute.String("cloud.region", "eu-west-1"),
		attribute.String("aws.request_id", "R1"), attribute.Int("http.response.status_code", 429),
	}
	api := child("GET", 6, 500)
	api.Attributes = []attribute.KeyValue{
		attribute.String("http.request.method", "GET"), attribute.String("url.full", "https://api.example.com/x"),
		attribute.String("server.address", "api.example.com"), attribute.Int("http.response.status_code", 404),
	}
	return append(tracetest.SpanStubs{api, dynamo}, stubs...)
}

// normalise removes what differs between a span's nested and standalone
// documents by design (trace_id, parent_id, type, the nested children) and
// the random exception ids.
func normalise(doc map[string]any) map[string]any {
	out := maps.Clone(doc)
	for _, k := range []string{"trace_id", "parent_id", "type", "subsegments"} {
		delete(out, k)
	}
	if c, ok := out["cause"].(map[string]any); ok {
		for _, e := range c["exceptions"].([]any) {
			delete(e.(map[string]any), "id")
		}
	}
	return out
}

// bigAttr is a metadata attribute of n bytes.
func bigAttr(n int) attribute.KeyValue { return attribute.String("big.value", strings.Repeat("x", n)) }
