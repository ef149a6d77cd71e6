package tracing_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	contribxray "go.opentelemetry.io/contrib/propagators/aws/xray"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

const (
	lambdaHeader = "Root=" + root + ";Parent=" + parent + ";Sampled=1;Lineage=" + lineage
	otherRoot    = "1-6f3a1b2c-0123456789abcdef01234567"
	otherParent  = "0123456789abcdef"
	otherHeader  = "Root=" + otherRoot + ";Parent=" + otherParent + ";Sampled=1"
)

// childSpan starts and returns a recording span under ctx, as a handler's
// outgoing call would.
func childSpan(t *testing.T, ctx context.Context) (context.Context, trace.Span) {
	t.Helper()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	ctx, span := tp.Tracer("test").Start(ctx, "outgoing call")
	t.Cleanup(func() { span.End() })
	return ctx, span
}

func TestXRayExtract(t *testing.T) {
	tests := []struct {
		name     string
		carrier  propagation.MapCarrier
		valid    bool
		sampled  bool
		traceID  string
		parentID string
	}{
		{name: "canonical key", carrier: propagation.MapCarrier{invocation.XRayHeaderName: lambdaHeader},
			valid: true, sampled: true, traceID: "5759e988bd862e3fe1be46a994272793", parentID: parent},
		{name: "lower-case key", carrier: propagation.MapCarrier{"x-amzn-trace-id": "Root=" + root + ";Parent=" + parent + ";Sampled=0"},
			valid: true, traceID: "5759e988bd862e3fe1be46a994272793", parentID: parent},
		{name: "sampled requested is not sampled", carrier: propagation.MapCarrier{invocation.XRayHeaderName: "Root=" + root + ";Parent=" + parent + ";Sampled=?"},
			valid: true, traceID: "5759e988bd862e3fe1be46a994272793", parentID: parent},
		{name: "no parent", carrier: propagation.MapCarrier{invocation.XRayHeaderName: "Root=" + root}},
		{name: "malformed", carrier: propagation.MapCarrier{invocation.XRayHeaderName: "Root=nope;Parent=" + parent}},
		{name: "absent", carrier: propagation.MapCarrier{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tracing.XRay{}.Extract(t.Context(), tt.carrier)
			sc := trace.SpanContextFromContext(ctx)
			require.Equal(t, tt.valid, sc.IsValid())
			if !tt.valid {
				return
			}
			require.True(t, sc.IsRemote())
			require.Equal(t, tt.sampled, sc.IsSampled())
			require.Equal(t, tt.traceID, sc.TraceID().String())
			require.Equal(t, tt.parentID, sc.SpanID().String())
			h, ok := tracing.HeaderFromContext(ctx)
			require.True(t, ok)
			require.Equal(t, root, h.Root)
		})
	}
}

// TestXRayInjectKeepsLineage shows the difference with the contrib
// propagator: both extract the same parent, only Lumen's forwards Lineage on
// the outgoing call, which Lambda needs to stop recursive loops.
func TestXRayInjectKeepsLineage(t *testing.T) {
	in := propagation.MapCarrier{invocation.XRayHeaderName: lambdaHeader}
	tests := []struct {
		name        string
		prop        propagation.TextMapPropagator
		wantLineage bool
	}{
		{name: "lumen xray", prop: tracing.XRay{}, wantLineage: true},
		{name: "lumen xray-lambda", prop: tracing.XRayLambda{}, wantLineage: true},
		{name: "contrib xray", prop: contribxray.Propagator{}, wantLineage: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.prop.Extract(t.Context(), in)
			ctx, span := childSpan(t, ctx)
			out := propagation.MapCarrier{}
			tt.prop.Inject(ctx, out)

			h, err := invocation.ParseXRayHeader(out.Get(invocation.XRayHeaderName))
			require.NoError(t, err)
			require.Equal(t, root, h.Root, "same trace")
			require.Equal(t, span.SpanContext().SpanID().String(), h.Parent, "the outgoing call's parent is the current span")
			require.Equal(t, invocation.SamplingSampled, h.Sampled)
			if tt.wantLineage {
				require.Equal(t, lineage, h.Lineage())
			} else {
				require.Empty(t, h.Lineage(), "contrib drops Lineage")
			}
		})
	}
}

func TestXRayInjectWithoutSpan(t *testing.T) {
	out := propagation.MapCarrier{}
	tracing.XRay{}.Inject(t.Context(), out)
	require.Empty(t, out.Keys())
}

func TestXRayLambdaExtract(t *testing.T) {
	withInfo := func(hdr string) func(context.Context) context.Context {
		return func(ctx context.Context) context.Context {
			return invocation.NewContext(ctx, &invocation.Info{TraceHeader: hdr})
		}
	}
	tests := []struct {
		name       string
		env        string
		prepare    func(context.Context) context.Context
		carrier    propagation.MapCarrier
		wantParent string // "" = no valid span context
	}{
		{name: "from invocation info", prepare: withInfo(lambdaHeader), env: otherHeader, wantParent: parent},
		{name: "info wins over aws-lambda-go key",
			prepare: func(ctx context.Context) context.Context {
				return withInfo(lambdaHeader)(tracing.ContextWithTraceHeader(ctx, otherHeader))
			}, wantParent: parent},
		{name: "from aws-lambda-go context key",
			prepare: func(ctx context.Context) context.Context { return tracing.ContextWithTraceHeader(ctx, lambdaHeader) },
			env:     otherHeader, wantParent: parent},
		{name: "from environment", env: lambdaHeader, wantParent: parent},
		{name: "empty info does not fall back to a stale environment", prepare: withInfo(""), env: otherHeader},
		{name: "lambda header wins over the carrier", env: lambdaHeader,
			carrier: propagation.MapCarrier{invocation.XRayHeaderName: otherHeader}, wantParent: parent},
		{name: "carrier alone", carrier: propagation.MapCarrier{invocation.XRayHeaderName: otherHeader}, wantParent: otherParent},
		{name: "existing span kept, environment ignored", env: lambdaHeader,
			prepare: func(ctx context.Context) context.Context {
				h, err := invocation.ParseXRayHeader(otherHeader)
				if err != nil {
					panic(err)
				}
				return trace.ContextWithRemoteSpanContext(ctx, h.SpanContext())
			}, wantParent: otherParent},
		{name: "nothing anywhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tracing.EnvTraceID, tt.env)
			ctx := t.Context()
			if tt.prepare != nil {
				ctx = tt.prepare(ctx)
			}
			carrier := tt.carrier
			if carrier == nil {
				carrier = propagation.MapCarrier{}
			}
			sc := trace.SpanContextFromContext(tracing.XRayLambda{}.Extract(ctx, carrier))
			if tt.wantParent == "" {
				require.False(t, sc.IsValid())
				return
			}
			require.True(t, sc.IsValid())
			require.Equal(t, tt.wantParent, sc.SpanID().String())
		})
	}
}

// TestXRayLambdaInjectFromInvocation covers a handler whose context came from
// the runtime (no propagator ran): the outgoing header still carries the
// invocation's Lineage.
func TestXRayLambdaInjectFromInvocation(t *testing.T) {
	t.Setenv(tracing.EnvTraceID, "")
	h, err := invocation.ParseXRayHeader(lambdaHeader)
	require.NoError(t, err)
	ctx := invocation.NewContext(t.Context(), &invocation.Info{TraceHeader: lambdaHeader})
	ctx = trace.ContextWithRemoteSpanContext(ctx, h.SpanContext())
	ctx, span := childSpan(t, ctx)

	for _, tt := range []struct {
		name        string
		prop        propagation.TextMapPropagator
		wantLineage string
	}{
		{name: "xray-lambda reads the invocation header", prop: tracing.XRayLambda{}, wantLineage: lineage},
		{name: "xray only forwards what it extracted", prop: tracing.XRay{}, wantLineage: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := propagation.MapCarrier{}
			tt.prop.Inject(ctx, out)
			got, err := invocation.ParseXRayHeader(out.Get(invocation.XRayHeaderName))
			require.NoError(t, err)
			require.Equal(t, span.SpanContext().SpanID().String(), got.Parent)
			require.Equal(t, tt.wantLineage, got.Lineage())
		})
	}
}

func TestPropagatorFields(t *testing.T) {
	require.Equal(t, []string{invocation.XRayHeaderName}, tracing.XRay{}.Fields())
	require.Equal(t, []string{invocation.XRayHeaderName}, tracing.XRayLambda{}.Fields())
}

func BenchmarkXRayExtract(b *testing.B) {
	carrier := propagation.MapCarrier{invocation.XRayHeaderName: lambdaHeader}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if !trace.SpanContextFromContext(tracing.XRay{}.Extract(ctx, carrier)).IsValid() {
			b.Fatal("no span context")
		}
	}
}
