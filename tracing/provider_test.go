package tracing_test

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

// invoke starts the invocation span under the header's remote parent and a
// handler span under it, as the runtime and a handler do, and returns what
// was exported.
func invoke(t *testing.T, rawHeader string, opts ...tracing.Option) (tracetest.SpanStubs, *sdktrace.TracerProvider) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp, err := tracing.NewTracerProvider(append([]tracing.Option{
		tracing.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(exp)),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })

	ctx := t.Context()
	if rawHeader != "" {
		h, err := invocation.ParseXRayHeader(rawHeader)
		require.NoError(t, err)
		ctx = tracing.ContextWithRemoteParent(ctx, h)
	}
	ctx, inv := tp.Tracer("lumen").Start(ctx, functionName, trace.WithSpanKind(trace.SpanKindServer))
	_, handler := tp.Tracer("handler").Start(ctx, "handler work")
	handler.End()
	inv.End()
	require.NoError(t, tp.ForceFlush(t.Context()))
	return exp.GetSpans(), tp
}

func TestSamplerHonoursHeader(t *testing.T) {
	const (
		sampled    = "Root=" + root + ";Parent=" + parent + ";Sampled=1"
		notSampled = "Root=" + root + ";Parent=" + parent + ";Sampled=0"
		requested  = "Root=" + root + ";Parent=" + parent + ";Sampled=?"
		undecided  = "Root=" + root + ";Parent=" + parent
	)
	tests := []struct {
		name   string
		header string
		opts   []tracing.Option
		want   bool
	}{
		{name: "Sampled=1", header: sampled, want: true},
		{name: "Sampled=0 drops everything", header: notSampled, want: false},
		{name: "Sampled=? lets the root sampler decide", header: requested, want: true},
		{name: "no Sampled key lets the root sampler decide", header: undecided, want: true},
		{name: "no header", want: true},
		{name: "Sampled=? with a root that never samples", header: requested, opts: []tracing.Option{
			tracing.WithSampler(tracing.Sampler(sdktrace.NeverSample())),
		}, want: false},
		{name: "always_on overrides Sampled=0", header: notSampled, opts: []tracing.Option{
			tracing.WithSampler(sdktrace.AlwaysSample()),
		}, want: true},
		{name: "always_off overrides Sampled=1", header: sampled, opts: []tracing.Option{
			tracing.WithSampler(sdktrace.NeverSample()),
		}, want: false},
		{name: "parentbased_always_off follows Sampled=1", header: sampled, opts: []tracing.Option{
			tracing.WithSampler(sdktrace.ParentBased(sdktrace.NeverSample())),
		}, want: true},
		{name: "parentbased_always_on follows Sampled=0", header: notSampled, opts: []tracing.Option{
			tracing.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())),
		}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans, _ := invoke(t, tt.header, tt.opts...)
			if !tt.want {
				require.Empty(t, spans)
				return
			}
			require.Len(t, spans, 2)
		})
	}
}

// TestHandlerNesting checks the tree: Lambda's segment (the header's Parent)
// → invocation span → handler span, all in the header's trace.
func TestHandlerNesting(t *testing.T) {
	spans, _ := invoke(t, lambdaHeader)
	require.Len(t, spans, 2)
	handler, inv := spans[0], spans[1]
	require.Equal(t, "handler work", handler.Name)
	require.Equal(t, functionName, inv.Name)

	require.Equal(t, "5759e988bd862e3fe1be46a994272793", inv.SpanContext.TraceID().String())
	require.Equal(t, parent, inv.Parent.SpanID().String())
	require.True(t, inv.Parent.IsRemote())
	require.Equal(t, inv.SpanContext.TraceID(), handler.SpanContext.TraceID())
	require.Equal(t, inv.SpanContext.SpanID(), handler.Parent.SpanID())
	require.False(t, handler.Parent.IsRemote())
}

func TestNewTracerProviderDefaults(t *testing.T) {
	before := time.Now().Unix()
	spans, _ := invoke(t, "", tracing.WithResource(tracing.NewResource(tracing.Environment{FunctionName: "orders-api"})))
	after := time.Now().Unix()
	require.Len(t, spans, 2)
	inv := spans[1]

	// X-Ray-compatible trace id: the first four bytes are the Unix time.
	tid := inv.SpanContext.TraceID()
	epoch := int64(binary.BigEndian.Uint32(tid[:4]))
	require.GreaterOrEqual(t, epoch, before)
	require.LessOrEqual(t, epoch, after)
	_, err := invocation.TraceIDFromRoot(invocation.RootFromTraceID(tid))
	require.NoError(t, err)

	attrs := map[attribute.Key]string{}
	for _, kv := range inv.Resource.Attributes() {
		attrs[kv.Key] = kv.Value.String()
	}
	require.Equal(t, "orders-api", attrs["service.name"])
	require.Equal(t, "aws_lambda", attrs["cloud.platform"])
}

func TestNewTracerProviderReadsNoEnvironment(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "from-the-environment")
	t.Setenv("OTEL_TRACES_SAMPLER", "always_off")
	spans, _ := invoke(t, "")
	require.Len(t, spans, 2, "OTEL_TRACES_SAMPLER is the telemetry package's to read, not the provider's")
	for _, kv := range spans[1].Resource.Attributes() {
		require.NotEqual(t, "from-the-environment", kv.Value.AsString(), "the default resource reads no variable")
	}
}

func TestNewTracerProviderWithExporter(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp, err := tracing.NewTracerProvider(tracing.WithExporter(exp), tracing.WithResource(nil))
	require.NoError(t, err)
	_, span := tp.Tracer("t").Start(t.Context(), "s")
	span.End()
	require.NoError(t, tp.ForceFlush(t.Context()), "the batch processor drains on ForceFlush")
	require.Len(t, exp.GetSpans(), 1)
	require.NoError(t, tp.Shutdown(t.Context()))
}

func TestSamplerDescription(t *testing.T) {
	require.Equal(t, "XRayHeaderBased{root:AlwaysOnSampler}", tracing.Sampler(nil).Description())
}
