package tracing_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

func TestContextHelpers(t *testing.T) {
	_, ok := tracing.TraceHeaderFromContext(t.Context())
	require.False(t, ok)
	ctx := tracing.ContextWithTraceHeader(t.Context(), lambdaHeader)
	got, ok := tracing.TraceHeaderFromContext(ctx)
	require.True(t, ok)
	require.Equal(t, lambdaHeader, got)
	// aws-lambda-go's own key, read the way aws-xray-sdk-go reads it.
	require.Equal(t, lambdaHeader, ctx.Value("x-amzn-trace-id")) //nolint:staticcheck // the key is aws-lambda-go's plain string

	h, err := invocation.ParseXRayHeader("Root=" + root + ";Sampled=1")
	require.NoError(t, err)
	ctx = tracing.ContextWithRemoteParent(t.Context(), h)
	require.False(t, trace.SpanContextFromContext(ctx).IsValid(), "no Parent, no remote parent")
	stored, ok := tracing.HeaderFromContext(ctx)
	require.True(t, ok)
	require.Equal(t, root, stored.Root)
}
