package otlpmetric_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
)

// TestProtocol checks how the default exporter's protocol is chosen. The
// fake collector speaks OTLP/HTTP only, so a delivery proves http/protobuf;
// a gRPC exporter pointed at it delivers nothing and fails. exporters/otlp's collector test
// proves delivery over gRPC.
func TestProtocol(t *testing.T) {
	tests := []struct {
		name           string
		env            map[string]string
		opts           []otlpmetric.Option
		wantDelivered  bool
		wantErrIs      []error
		wantErrVarName string
	}{
		{name: "default http", wantDelivered: true},
		{name: "the protocol variable is not this package's to read", env: map[string]string{"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "grpc"}, wantDelivered: true},
		{name: "option http", opts: []otlpmetric.Option{otlpmetric.WithProtocol(otlpmetric.ProtocolHTTP)}, wantDelivered: true},
		{name: "option grpc", opts: []otlpmetric.Option{otlpmetric.WithProtocol(otlpmetric.ProtocolGRPC)}, wantDelivered: false},
		{
			name: "invalid option", opts: []otlpmetric.Option{otlpmetric.WithProtocol("thrift")},
			wantErrIs: []error{otlpmetric.ErrInvalidConfig, otlpmetric.ErrInvalidProtocol}, wantErrVarName: "protocol option",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col := newFakeCollector(t, http.StatusOK)
			env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": col.URL}
			for k, v := range tt.env {
				env[k] = v
			}
			lambdaEnv(t, env)
			t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "200")
			exp, err := otlpmetric.New(t.Context(), exportertest.NewRegistry(), tt.opts...)
			if tt.wantErrIs != nil {
				for _, want := range tt.wantErrIs {
					require.ErrorIs(t, err, want)
				}
				require.ErrorContains(t, err, tt.wantErrVarName)
				require.Nil(t, exp)
				return
			}
			require.NoError(t, err)
			t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
			ctx, cancel := context.WithTimeout(t.Context(), flushBudget)
			defer cancel()
			err = exp.ForceFlush(ctx)
			require.Equal(t, tt.wantDelivered, err == nil, "flush error: %v", err)
			delivered := 0
			for _, req := range col.Requests() {
				delivered += len(req.GetResourceMetrics())
			}
			require.Equal(t, tt.wantDelivered, delivered == 1)
		})
	}
}
