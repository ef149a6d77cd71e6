package otlpwire_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
)

func marshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestPartialSuccess(t *testing.T) {
	tests := []struct {
		name     string
		body     []byte
		rejected int64
		message  string
		wantErr  bool
	}{
		{name: "empty body"},
		{name: "empty response", body: marshal(t, &coltracepb.ExportTraceServiceResponse{})},
		{name: "traces", body: marshal(t, &coltracepb.ExportTraceServiceResponse{
			PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 2, ErrorMessage: "too old"}}), rejected: 2, message: "too old"},
		{name: "metrics", body: marshal(t, &colmetricspb.ExportMetricsServiceResponse{
			PartialSuccess: &colmetricspb.ExportMetricsPartialSuccess{RejectedDataPoints: 3}}), rejected: 3},
		{name: "logs warning only", body: marshal(t, &collogspb.ExportLogsServiceResponse{
			PartialSuccess: &collogspb.ExportLogsPartialSuccess{ErrorMessage: "deprecated field"}}), message: "deprecated field"},
		{name: "html", body: []byte("<html><body>OK</body></html>"), wantErr: true},
		{name: "truncated", body: marshal(t, &coltracepb.ExportTraceServiceResponse{
			PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 2, ErrorMessage: "too old"}})[:5], wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rejected, msg, err := otlpwire.PartialSuccess(tt.body)
			if tt.wantErr {
				require.ErrorContains(t, err, "malformed protobuf")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.rejected, rejected)
			require.Equal(t, tt.message, msg)
		})
	}
}

func TestStatusMessage(t *testing.T) {
	msg, err := otlpwire.StatusMessage(marshal(t, &status.Status{Code: 3, Message: "bad span id"}))
	require.NoError(t, err)
	require.Equal(t, "bad span id", msg)
	_, err = otlpwire.StatusMessage([]byte{0xff})
	require.Error(t, err)
}
