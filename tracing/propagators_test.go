package tracing_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

func TestPropagatorsFromEnv(t *testing.T) {
	h, err := invocation.ParseXRayHeader(lambdaHeader)
	require.NoError(t, err)
	sc := h.SpanContext()

	tests := []struct {
		name        string
		env         string
		wantFields  []string // carrier keys after Inject of a sampled span context
		wantUnknown []string
		wantErr     error
	}{
		{name: "unset is tracecontext,baggage", env: "", wantFields: []string{"traceparent"}},
		{name: "tracecontext", env: "tracecontext", wantFields: []string{"traceparent"}},
		{name: "xray", env: "xray", wantFields: []string{invocation.XRayHeaderName}},
		{name: "xray-lambda with others", env: "tracecontext, baggage ,XRAY-LAMBDA", wantFields: []string{"traceparent", invocation.XRayHeaderName}},
		{name: "none", env: "none", wantFields: nil},
		{name: "duplicates once", env: "xray,xray", wantFields: []string{invocation.XRayHeaderName}},
		{name: "unknown reported, known kept", env: "b3,xray", wantFields: []string{invocation.XRayHeaderName}, wantUnknown: []string{"b3"}},
		{name: "only unknown falls back to default", env: "jaeger", wantFields: []string{"traceparent"}, wantUnknown: []string{"jaeger"}},
		{name: "xray and xray-lambda conflict", env: "xray,xray-lambda", wantFields: []string{invocation.XRayHeaderName}, wantErr: tracing.ErrXRayConflict},
		{name: "conflict and unknown", env: "xray-lambda,b3,xray", wantFields: []string{invocation.XRayHeaderName},
			wantUnknown: []string{"b3"}, wantErr: tracing.ErrXRayConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tracing.Propagators(strings.Split(tt.env, ",")...)
			if tt.wantUnknown != nil {
				require.ErrorIs(t, err, tracing.ErrUnknownPropagator)
				var ue *tracing.UnknownPropagatorError
				require.ErrorAs(t, err, &ue)
				require.Equal(t, tt.wantUnknown, ue.Names)
			}
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
			}
			if tt.wantUnknown == nil && tt.wantErr == nil {
				require.NoError(t, err)
			}
			out := propagation.MapCarrier{}
			p.Inject(trace.ContextWithRemoteSpanContext(t.Context(), sc), out)
			require.ElementsMatch(t, tt.wantFields, out.Keys())
		})
	}
}

// TestPropagatorsRoundTrip injects with each configuration and extracts with
// the same one: the span context survives.
func TestPropagatorsRoundTrip(t *testing.T) {
	t.Setenv(tracing.EnvTraceID, "")
	h, err := invocation.ParseXRayHeader(lambdaHeader)
	require.NoError(t, err)
	for _, names := range [][]string{
		{"tracecontext"}, {"xray"}, {"xray-lambda"}, {"tracecontext", "baggage", "xray-lambda"},
	} {
		p, err := tracing.Propagators(names...)
		require.NoError(t, err)
		ctx := tracing.ContextWithRemoteParent(t.Context(), h)
		ctx, span := childSpan(t, ctx)
		out := propagation.MapCarrier{}
		p.Inject(ctx, out)
		got := trace.SpanContextFromContext(p.Extract(t.Context(), out))
		require.True(t, got.IsValid(), "%v", names)
		require.Equal(t, span.SpanContext().TraceID(), got.TraceID(), "%v", names)
		require.Equal(t, span.SpanContext().SpanID(), got.SpanID(), "%v", names)
		require.True(t, got.IsSampled(), "%v", names)
	}
}
