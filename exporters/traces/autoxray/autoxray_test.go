package autoxray_test

import (
	"bytes"
	"context"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/goleak"

	_ "github.com/lumen-rt/lumen/exporters/traces/autoxray"
	"github.com/lumen-rt/lumen/exporters/xray"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestAutoexportXRay(t *testing.T) {
	daemon, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = daemon.Close() })
	t.Setenv(xray.EnvDaemonAddress, daemon.LocalAddr().String())

	tests := []struct {
		env     string
		wantErr bool
	}{
		{env: "xray"},
		// autoexport takes one name: lists are what exporters/traces is for.
		{env: "otlp,xray", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv("OTEL_TRACES_EXPORTER", tt.env)
			exp, err := autoexport.NewSpanExporter(t.Context())
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.IsType(t, &xray.Exporter{}, exp)

			tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
			_, s := tp.Tracer("t").Start(t.Context(), "via-autoexport")
			s.End()
			require.NoError(t, tp.Shutdown(context.Background()))

			buf := make([]byte, xray.MaxDatagramSize)
			n, err := daemon.Read(buf)
			require.NoError(t, err)
			require.True(t, bytes.HasPrefix(buf[:n], []byte(xray.Header)))
			require.Contains(t, string(buf[:n]), `"name":"via-autoexport"`)
		})
	}
}
