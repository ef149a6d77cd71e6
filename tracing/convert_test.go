package tracing_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/tracing"
)

func TestConvertIDs(t *testing.T) {
	tid, err := tracing.TraceIDFromRoot(root)
	require.NoError(t, err)
	require.Equal(t, "5759e988bd862e3fe1be46a994272793", tid.String())
	require.Equal(t, root, tracing.RootFromTraceID(tid))

	sid, err := tracing.SpanIDFromParent(parent)
	require.NoError(t, err)
	require.Equal(t, parent, sid.String())
	require.Equal(t, parent, tracing.ParentFromSpanID(sid))

	for _, bad := range []string{"", "1-5759e988bd862e3fe1be46a994272793", "1-5759e988-bd862e3fe1be46a99427279g"} {
		_, err := tracing.TraceIDFromRoot(bad)
		require.ErrorIs(t, err, tracing.ErrInvalidRoot, bad)
	}
	for _, bad := range []string{"", "53995C3F42CD8AD8", "53995c3f42cd8ad"} {
		_, err := tracing.SpanIDFromParent(bad)
		require.ErrorIs(t, err, tracing.ErrInvalidParent, bad)
	}
}

func TestHeaderFromSpanContext(t *testing.T) {
	tid, err := tracing.TraceIDFromRoot(root)
	require.NoError(t, err)
	sid, err := tracing.SpanIDFromParent(parent)
	require.NoError(t, err)
	for _, tt := range []struct {
		flags trace.TraceFlags
		want  string
	}{
		{trace.FlagsSampled, "Root=" + root + ";Parent=" + parent + ";Sampled=1"},
		{0, "Root=" + root + ";Parent=" + parent + ";Sampled=0"},
	} {
		sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: tt.flags})
		require.Equal(t, tt.want, tracing.HeaderFromSpanContext(sc).String())
	}
	require.Equal(t, tracing.Header{}, tracing.HeaderFromSpanContext(trace.SpanContext{}))
}

func TestContextHelpers(t *testing.T) {
	_, ok := tracing.TraceHeaderFromContext(t.Context())
	require.False(t, ok)
	ctx := tracing.ContextWithTraceHeader(t.Context(), lambdaHeader)
	got, ok := tracing.TraceHeaderFromContext(ctx)
	require.True(t, ok)
	require.Equal(t, lambdaHeader, got)
	// aws-lambda-go's own key, read the way aws-xray-sdk-go reads it.
	require.Equal(t, lambdaHeader, ctx.Value("x-amzn-trace-id")) //nolint:staticcheck // the key is aws-lambda-go's plain string

	h, err := tracing.ParseHeader("Root=" + root + ";Sampled=1")
	require.NoError(t, err)
	ctx = tracing.ContextWithRemoteParent(t.Context(), h)
	require.False(t, trace.SpanContextFromContext(ctx).IsValid(), "no Parent, no remote parent")
	stored, ok := tracing.HeaderFromContext(ctx)
	require.True(t, ok)
	require.Equal(t, root, stored.Root)
}
