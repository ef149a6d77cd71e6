package invocation_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

func TestConvertIDs(t *testing.T) {
	tid, err := invocation.TraceIDFromRoot(root)
	require.NoError(t, err)
	require.Equal(t, "5759e988bd862e3fe1be46a994272793", tid.String())
	require.Equal(t, root, invocation.RootFromTraceID(tid))

	sid, err := invocation.SpanIDFromParent(parent)
	require.NoError(t, err)
	require.Equal(t, parent, sid.String())
	require.Equal(t, parent, invocation.ParentFromSpanID(sid))

	for _, bad := range []string{"", "1-5759e988bd862e3fe1be46a994272793", "1-5759e988-bd862e3fe1be46a99427279g"} {
		_, err := invocation.TraceIDFromRoot(bad)
		require.ErrorIs(t, err, invocation.ErrInvalidRoot, bad)
	}
	for _, bad := range []string{"", "53995C3F42CD8AD8", "53995c3f42cd8ad"} {
		_, err := invocation.SpanIDFromParent(bad)
		require.ErrorIs(t, err, invocation.ErrInvalidParent, bad)
	}
}

func TestHeaderFromSpanContext(t *testing.T) {
	tid, err := invocation.TraceIDFromRoot(root)
	require.NoError(t, err)
	sid, err := invocation.SpanIDFromParent(parent)
	require.NoError(t, err)
	for _, tt := range []struct {
		flags trace.TraceFlags
		want  string
	}{
		{trace.FlagsSampled, "Root=" + root + ";Parent=" + parent + ";Sampled=1"},
		{0, "Root=" + root + ";Parent=" + parent + ";Sampled=0"},
	} {
		sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: tt.flags})
		require.Equal(t, tt.want, invocation.XRayHeaderFromSpanContext(sc).String())
	}
	require.Equal(t, invocation.XRayHeader{}, invocation.XRayHeaderFromSpanContext(trace.SpanContext{}))
}
