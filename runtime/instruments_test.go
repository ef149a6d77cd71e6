package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
	"github.com/lumen-rt/lumen/tracing"
)

const (
	testRoot   = "1-5759e988-bd862e3fe1be46a994272793"
	testParent = "53995c3f42cd8ad8"
)

// traced starts handler with an in-memory span exporter and a metrics
// recorder, and returns them.
func traced(t *testing.T, handler any, opts ...runtime.Option) (*harness, *tracetest.InMemoryExporter, *metrics.Recorder) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp, err := tracing.NewTracerProvider(tracing.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(exp)))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	rec, err := metrics.New()
	require.NoError(t, err)
	opts = append([]runtime.Option{runtime.WithTracerProvider(tp), runtime.WithMetrics(rec)}, opts...)
	return start(t, handler, nil, opts...), exp, rec
}

// invokeDone invokes and waits until the runtime polls again: by then the
// invocation's spans ended and its metrics were recorded.
func (h *harness) invokeDone(t *testing.T, payload string, opts ...runtimetest.InvokeOption) *runtimetest.Result {
	t.Helper()
	res := h.invoke(t, payload, opts...)
	require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
	return res
}

func spansByName(spans tracetest.SpanStubs) map[string]tracetest.SpanStub {
	out := make(map[string]tracetest.SpanStub, len(spans))
	for _, s := range spans {
		out[s.Name] = s
	}
	return out
}

func attr(s tracetest.SpanStub, key attribute.Key) attribute.Value {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

func TestTracingSpanTree(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "orders")
	var handlerSpan trace.SpanContext
	handler := func(ctx context.Context, _ json.RawMessage) (string, error) {
		_, span := trace.SpanFromContext(ctx).TracerProvider().Tracer("user").Start(ctx, "user work")
		handlerSpan = span.SpanContext()
		span.End()
		return "ok", nil
	}
	h, exp, _ := traced(t, handler)
	header := "Root=" + testRoot + ";Parent=" + testParent + ";Sampled=1;Lineage=a87bd80c:1"
	h.invokeDone(t, `{"hello":"world"}`, runtimetest.WithTraceID(header),
		runtimetest.WithFunctionARN("arn:aws:lambda:eu-west-1:123456789012:function:orders:live"))

	spans := spansByName(exp.GetSpans())
	require.Len(t, spans, 6, "init, invocation, receive, handle, post and the handler's own: %v", exp.GetSpans())
	inv := spans["orders"]
	wantTrace, err := invocation.TraceIDFromRoot(testRoot)
	require.NoError(t, err)
	wantParent, err := invocation.SpanIDFromParent(testParent)
	require.NoError(t, err)
	require.Equal(t, wantTrace, inv.SpanContext.TraceID(), "the invocation is in Lambda's trace")
	require.Equal(t, wantParent, inv.Parent.SpanID(), "the invocation's parent is Lambda's segment")
	require.True(t, inv.Parent.IsRemote())
	require.Equal(t, trace.SpanKindServer, inv.SpanKind)
	require.Equal(t, "other", attr(inv, "faas.trigger").AsString())
	require.True(t, attr(inv, "faas.coldstart").AsBool())
	require.Equal(t, "123456789012", attr(inv, "cloud.account.id").AsString())
	require.Equal(t, codes.Unset, inv.Status.Code)

	for _, name := range []string{runtime.SpanReceive, runtime.SpanHandle, runtime.SpanPost} {
		s, ok := spans[name]
		require.True(t, ok, "missing %s", name)
		require.Equal(t, inv.SpanContext.SpanID(), s.Parent.SpanID(), "%s is a child of the invocation", name)
		require.False(t, s.StartTime.Before(inv.StartTime), "%s starts within the invocation", name)
		require.False(t, s.EndTime.After(inv.EndTime), "%s ends within the invocation", name)
	}
	require.True(t, spans[runtime.SpanReceive].EndTime.Compare(spans[runtime.SpanHandle].StartTime) <= 0)
	require.True(t, spans[runtime.SpanHandle].EndTime.Compare(spans[runtime.SpanPost].StartTime) <= 0)
	require.Equal(t, spans[runtime.SpanHandle].SpanContext.SpanID(), spans["user work"].Parent.SpanID(),
		"a span the handler starts from its context is a child of the handle span")
	require.Equal(t, handlerSpan.SpanID(), spans["user work"].SpanContext.SpanID())

	init := spans[runtime.SpanInit]
	require.Equal(t, wantParent, init.Parent.SpanID(), "the init span is in the first invocation's trace")
	require.True(t, init.EndTime.Compare(inv.StartTime) <= 0, "the init ends before the invocation starts")

	// The second invocation is warm: no init span.
	exp.Reset()
	h.invokeDone(t, `{}`, runtimetest.WithTraceID("Root=1-5759e988-bd862e3fe1be46a994272794;Parent="+testParent+";Sampled=1"))
	spans = spansByName(exp.GetSpans())
	require.NotContains(t, spans, runtime.SpanInit)
	require.False(t, attr(spans["orders"], "faas.coldstart").AsBool())
}

func TestTracingTriggerShapes(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "api")
	h, exp, _ := traced(t, func(json.RawMessage) error { return nil })
	apigw, err := json.Marshal(events.APIGatewayProxyRequest{
		HTTPMethod: "GET", Resource: "/items/{id}", Path: "/items/7",
		RequestContext: events.APIGatewayProxyRequestContext{HTTPMethod: "GET", ResourcePath: "/items/{id}"},
	})
	require.NoError(t, err)
	sqs, err := json.Marshal(events.SQSEvent{Records: []events.SQSMessage{{
		MessageId: "m1", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders",
		Attributes: map[string]string{"AWSTraceHeader": "Root=1-5759e988-bd862e3fe1be46a994272795;Parent=53995c3f42cd8ad9;Sampled=1"},
	}}})
	require.NoError(t, err)
	tests := []struct {
		name, payload, span, trigger string
		kind                         trace.SpanKind
		links                        int
	}{
		{name: "API Gateway", payload: string(apigw), span: "GET /items/{id}", trigger: "http", kind: trace.SpanKindServer},
		{name: "SQS", payload: string(sqs), span: "process orders", trigger: "pubsub", kind: trace.SpanKindConsumer, links: 1},
		{name: "unknown", payload: `{"x":1}`, span: "api", trigger: "other", kind: trace.SpanKindServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp.Reset()
			h.invokeDone(t, tt.payload, runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
			spans := spansByName(exp.GetSpans())
			inv, ok := spans[tt.span]
			require.True(t, ok, "no span named %q in %v", tt.span, exp.GetSpans())
			require.Equal(t, tt.kind, inv.SpanKind)
			require.Equal(t, tt.trigger, attr(inv, "faas.trigger").AsString())
			require.Len(t, inv.Links, tt.links)
		})
	}
}

type quotaError struct{}

func (quotaError) Error() string { return "quota exceeded" }

func TestTelemetryRecordsErrors(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
	handler := func(_ context.Context, e struct{ Fail bool }) (string, error) {
		if e.Fail {
			return "", quotaError{}
		}
		return "ok", nil
	}
	h, exp, rec := traced(t, handler)
	sampled := runtimetest.WithTraceID("Root=" + testRoot + ";Parent=" + testParent + ";Sampled=1")
	h.invokeDone(t, `{"Fail":false}`, sampled)
	h.invokeDone(t, `{"Fail":true}`, sampled)
	h.invokeDone(t, `not json`, sampled)
	h.invokeDone(t, `{}`, sampled, runtimetest.WithHeader("Lambda-Runtime-Deadline-Ms", "soon"))

	var failed []tracetest.SpanStub
	for _, s := range exp.GetSpans() {
		if s.Name == "fn" && s.Status.Code == codes.Error {
			failed = append(failed, s)
		}
	}
	require.Len(t, failed, 3)
	require.Equal(t, "quotaError", attr(failed[0], "error.type").AsString())
	require.Equal(t, runtime.ErrorTypeUnmarshal, attr(failed[1], "error.type").AsString())
	require.Equal(t, runtime.ErrorTypeInvalidDeadline, attr(failed[2], "error.type").AsString())
	require.NotEmpty(t, failed[0].Events, "the error is recorded as an exception event")

	g := rec.Gatherer()
	count := func(name string, labels ...string) float64 {
		t.Helper()
		mfs, err := g.Gather()
		require.NoError(t, err)
		total := 0.0
		for _, mf := range mfs {
			if mf.GetName() != name {
				continue
			}
		metric:
			for _, m := range mf.GetMetric() {
				for i := 0; i+1 < len(labels); i += 2 {
					found := false
					for _, lp := range m.GetLabel() {
						if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
							found = true
						}
					}
					if !found {
						continue metric
					}
				}
				switch {
				case m.GetCounter() != nil:
					total += m.GetCounter().GetValue()
				case m.GetGauge() != nil:
					total += m.GetGauge().GetValue()
				case m.GetHistogram() != nil:
					total += float64(m.GetHistogram().GetSampleCount())
				}
			}
		}
		return total
	}
	require.Equal(t, 4.0, count("faas_invocations_total"), "every invocation counts")
	require.Equal(t, 1.0, count("faas_errors_total", "error_type", "quotaError"))
	require.Equal(t, 1.0, count("faas_errors_total", "error_type", runtime.ErrorTypeUnmarshal))
	require.Equal(t, 1.0, count("faas_errors_total", "error_type", runtime.ErrorTypeInvalidDeadline))
	require.Equal(t, 1.0, count("faas_coldstarts_total"))
	require.Equal(t, 4.0, count("faas_invoke_duration_seconds"))
	require.Equal(t, 3.0, count("faas_phase_duration_seconds", "phase", "handle"), "the handler ran three times")
	require.Equal(t, 4.0, count("faas_phase_duration_seconds", "phase", "event_receive"))
	require.Equal(t, 4.0, count("faas_telemetry_flush_duration_seconds"), "the tracer provider is flushed after each")
	require.Zero(t, count("faas_inflight_invocations"), "nothing in flight between invocations")
}

func TestTelemetryCountsFlushFailures(t *testing.T) {
	rec, err := metrics.New()
	require.NoError(t, err)
	failing := namedFlusher{name: "collector", err: errors.New("collector down")}
	h := start(t, func() error { return nil }, nil, runtime.WithMetrics(rec), runtime.WithFlusher(failing))
	h.invokeDone(t, `{}`)
	h.errs.waitFor(t, 1)
	mfs, err := rec.Gatherer().Gather()
	require.NoError(t, err)
	var failures float64
	for _, mf := range mfs {
		if mf.GetName() == "faas_telemetry_flush_failures_total" {
			for _, m := range mf.GetMetric() {
				failures += m.GetCounter().GetValue()
			}
		}
	}
	require.Equal(t, 1.0, failures)
}

func TestTracingInitSpanWithoutLambdaParent(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
	t.Setenv("OTEL_TRACES_SAMPLER", "always_on")
	h, exp, _ := traced(t, func() error { return nil })
	h.invokeDone(t, `{}`) // no Lambda-Runtime-Trace-Id: the emulator's classic mode sends none
	spans := spansByName(exp.GetSpans())
	inv, init := spans["fn"], spans[runtime.SpanInit]
	require.True(t, inv.SpanContext.IsValid())
	require.False(t, inv.Parent.IsValid(), "without a Lambda parent the invocation is a root")
	require.Equal(t, inv.SpanContext.TraceID(), init.SpanContext.TraceID(), "the init is in the first invocation's trace")
	require.Equal(t, inv.SpanContext.SpanID(), init.Parent.SpanID())
}
