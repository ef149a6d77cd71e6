package otlpwire_test

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// everyAttribute holds an attribute of every type the SDK has.
var everyAttribute = []attribute.KeyValue{
	attribute.Bool("bool", true),
	attribute.Bool("false", false),
	attribute.Int64("int", -42),
	attribute.Int64("zero", 0),
	attribute.Float64("float", 1.5),
	attribute.String("string", "héllo"),
	attribute.String("empty", ""),
	attribute.ByteSlice("bytes", []byte{0, 1, 0xff}),
	attribute.BoolSlice("bools", []bool{true, false}),
	attribute.Int64Slice("ints", []int64{1, -2, 3}),
	attribute.Float64Slice("floats", []float64{0.25, -1}),
	attribute.StringSlice("strings", []string{"a", "", "c"}),
	attribute.StringSlice("no strings", []string{}),
	attribute.Slice("mixed", attribute.IntValue(1), attribute.StringValue("two"), attribute.SliceValue(attribute.BoolValue(true))),
	attribute.Map("map", attribute.String("k", "v"), attribute.Int("n", 7), attribute.Map("inner", attribute.Bool("deep", true))),
	{Key: "nothing"},
}

var (
	traceA  = trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	traceB  = trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	epoch   = time.Date(2026, 11, 29, 10, 0, 0, 123456789, time.UTC)
	state   = mustTraceState("vendor=value,other=x")
	resMain = resource.NewWithAttributes("https://opentelemetry.io/schemas/1.43.0",
		attribute.String("service.name", "hello"), attribute.String("cloud.provider", "aws"))
	resOther = resource.NewSchemaless(attribute.String("service.name", "other"))
	scopeRT  = instrumentation.Scope{Name: "github.com/lumen-rt/lumen/runtime", Version: "v0.1.0", SchemaURL: "https://opentelemetry.io/schemas/1.43.0",
		Attributes: attribute.NewSet(attribute.String("scope.attr", "x"))}
	scopeUser = instrumentation.Scope{Name: "user"}
)

func mustTraceState(s string) trace.TraceState {
	ts, err := trace.ParseTraceState(s)
	if err != nil {
		panic(err)
	}
	return ts
}

func spanContext(tid trace.TraceID, sid byte, flags trace.TraceFlags, ts trace.TraceState, remote bool) trace.SpanContext {
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: tid, SpanID: trace.SpanID{0, 0, 0, 0, 0, 0, 0, sid}, TraceFlags: flags, TraceState: ts, Remote: remote,
	})
}

// richSpans returns spans that use every span field, over two resources
// and two scopes, interleaved.
func richSpans() tracetest.SpanStubs {
	return tracetest.SpanStubs{
		{
			Name:        "invoke",
			SpanContext: spanContext(traceA, 1, trace.FlagsSampled, state, false),
			Parent:      spanContext(traceA, 9, trace.FlagsSampled, trace.TraceState{}, true),
			SpanKind:    trace.SpanKindServer,
			StartTime:   epoch,
			EndTime:     epoch.Add(1500 * time.Millisecond),
			Attributes:  everyAttribute,
			Events: []sdktrace.Event{
				{Name: "exception", Time: epoch.Add(time.Millisecond), Attributes: []attribute.KeyValue{attribute.String("exception.type", "boom")}, DroppedAttributeCount: 2},
				{Name: "bare", Time: epoch.Add(2 * time.Millisecond)},
			},
			Links: []sdktrace.Link{
				{SpanContext: spanContext(traceB, 3, 0, trace.TraceState{}, true), Attributes: []attribute.KeyValue{attribute.Int("n", 1)}, DroppedAttributeCount: 1},
				{SpanContext: spanContext(traceB, 4, trace.FlagsSampled, trace.TraceState{}, false)},
			},
			Status:                 sdktrace.Status{Code: codes.Error, Description: "it failed"},
			DroppedAttributes:      3,
			DroppedEvents:          4,
			DroppedLinks:           5,
			Resource:               resMain,
			InstrumentationScope:   scopeRT,
			InstrumentationLibrary: scopeRT, //nolint:staticcheck // The stub still copies it.
		},
		{Name: "user work", SpanContext: spanContext(traceA, 2, trace.FlagsSampled, trace.TraceState{}, false),
			Parent: spanContext(traceA, 1, trace.FlagsSampled, trace.TraceState{}, false), SpanKind: trace.SpanKindClient,
			StartTime: epoch, EndTime: epoch.Add(time.Second), Status: sdktrace.Status{Code: codes.Ok},
			Resource: resMain, InstrumentationScope: scopeUser, InstrumentationLibrary: scopeUser}, //nolint:staticcheck // As above.
		{Name: "other process", SpanContext: spanContext(traceB, 5, 0, trace.TraceState{}, false), SpanKind: trace.SpanKindProducer,
			StartTime: epoch, EndTime: epoch, Resource: resOther, InstrumentationScope: scopeUser, InstrumentationLibrary: scopeUser}, //nolint:staticcheck // As above.
		{Name: "post", SpanContext: spanContext(traceA, 6, trace.FlagsSampled, trace.TraceState{}, false),
			Parent: spanContext(traceA, 1, trace.FlagsSampled, trace.TraceState{}, false), SpanKind: trace.SpanKindInternal,
			StartTime: epoch, EndTime: epoch.Add(time.Millisecond), Resource: resMain, InstrumentationScope: scopeRT, InstrumentationLibrary: scopeRT}, //nolint:staticcheck // As above.
		{Name: "consume", SpanContext: spanContext(traceA, 7, trace.FlagsSampled, trace.TraceState{}, false), SpanKind: trace.SpanKindConsumer,
			Resource: resMain, InstrumentationScope: scopeUser, InstrumentationLibrary: scopeUser}, //nolint:staticcheck // As above; no times.
	}
}
