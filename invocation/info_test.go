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
