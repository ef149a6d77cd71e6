package envconfig_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

func TestOTLPProtocol(t *testing.T) {
	tests := []struct {
		name, signal string
		env          map[string]string
		want         string
		wantVar      string // the variable an error names
	}{
		{name: "default", signal: "traces", want: envconfig.ProtocolHTTP},
		{name: "general", signal: "metrics", env: map[string]string{envconfig.EnvOTLPProtocol: "grpc"}, want: envconfig.ProtocolGRPC},
		{
			name: "signal beats general", signal: "logs", want: envconfig.ProtocolHTTP,
			env: map[string]string{envconfig.EnvOTLPProtocol: "grpc", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/protobuf"},
		},
		{
			name: "other signal ignored", signal: "traces", want: envconfig.ProtocolGRPC,
			env: map[string]string{envconfig.EnvOTLPProtocol: "grpc", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/protobuf"},
		},
		{name: "invalid general", signal: "traces", env: map[string]string{envconfig.EnvOTLPProtocol: "http/json"}, wantVar: envconfig.EnvOTLPProtocol},
		{
			name: "invalid signal", signal: "traces", wantVar: "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
			env: map[string]string{envconfig.EnvOTLPProtocol: "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "thrift"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := envconfig.OTLPProtocol(env(tt.env), tt.signal)
			if tt.wantVar != "" {
				require.ErrorIs(t, err, envconfig.ErrInvalidProtocol)
				require.ErrorContains(t, err, tt.wantVar+"=")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
