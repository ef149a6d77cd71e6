package invocation_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
)

func TestFromContext(t *testing.T) {
	tests := []struct {
		name string
		ctx  context.Context
		want *invocation.Info
	}{
		{name: "absent", ctx: context.Background()},
		{name: "present", ctx: invocation.NewContext(context.Background(), &invocation.Info{TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793"}),
			want: &invocation.Info{TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := invocation.FromContext(tt.ctx)
			require.Equal(t, tt.want != nil, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestXRayFromContext(t *testing.T) {
	tests := []struct {
		header string
		want   string // the trace id, "" for none
	}{
		{header: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", want: "5759e988bd862e3fe1be46a994272793"},
		{header: "Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793", want: "5759e988bd862e3fe1be46a994272793"},
		{header: ""},
		{header: "Root=1-5759e988-bd862e3fe1be46a99427279"},
		{header: "Root=2-5759e988-bd862e3fe1be46a994272793"},
		{header: "Root=1-5759e98g-bd862e3fe1be46a994272793"},
		{header: "Root=1-00000000-000000000000000000000000"},
		{header: "Parent=53995c3f42cd8ad8"},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			parsed, _ := invocation.ParseXRayHeader(tt.header)
			for name, ctx := range map[string]context.Context{
				// aws-lambda-go's string key, as its runtime and tests set it.
				//lint:ignore SA1029 aws-lambda-go's key is a string
				"aws-lambda-go": context.WithValue(t.Context(), "x-amzn-trace-id", tt.header),
				"Info by hand":  invocation.NewContext(t.Context(), &invocation.Info{TraceHeader: tt.header}),
				"runtime Info":  invocation.NewContext(t.Context(), &invocation.Info{TraceHeader: tt.header, XRay: parsed}),
			} {
				h, ok := invocation.XRayFromContext(ctx)
				require.Equal(t, tt.want != "", ok, name)
				if !ok {
					continue
				}
				id, err := invocation.TraceIDFromRoot(h.Root)
				require.NoError(t, err, name)
				require.Equal(t, tt.want, id.String(), name)
			}
		})
	}
	_, ok := invocation.XRayFromContext(t.Context())
	require.False(t, ok, "no invocation")
}
