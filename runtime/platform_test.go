package runtime_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
	"github.com/lumen-rt/lumen/telemetry"
)

// platformPipeline is a pipeline with LUMEN_PLATFORM_TELEMETRY=true and no
// exporter.
func platformPipeline(t *testing.T) *telemetry.Pipeline {
	t.Helper()
	env := map[string]string{
		"LUMEN_PLATFORM_TELEMETRY": "true",
		"OTEL_TRACES_EXPORTER":     "none",
		"OTEL_METRICS_EXPORTER":    "none",
		"OTEL_LOGS_EXPORTER":       "none",
	}
	p, err := telemetry.New(t.Context(), telemetry.WithEnv(telemetry.ReadEnv(func(k string) string { return env[k] })),
		telemetry.WithoutLogHandler(), telemetry.WithoutGlobalTracerProvider())
	require.NoError(t, err)
	require.True(t, p.WantsExtension())
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p
}

// With platform telemetry on, the runtime subscribes its internal
// extension to the Telemetry API during the init; where it cannot (the
// API is not served, as by this fake and the emulator's classic mode, or
// the extension is turned off), it says so once and serves invocations.
func TestPlatformTelemetryOffIsSaidOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []runtime.Option
		want string
	}{
		{name: "no Telemetry API", want: "platform: subscribing to the Telemetry API"},
		{name: "extension turned off", opts: []runtime.Option{runtime.WithShutdownExtension(false)}, want: "WithShutdownExtension(false)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append([]runtime.Option{runtime.WithTelemetry(platformPipeline(t)),
				runtime.WithShutdownSignals(make(chan os.Signal))}, tt.opts...)
			h := start(t, func() {}, nil, opts...)
			for range 3 {
				require.False(t, h.invoke(t, `{}`).Failed())
			}
			require.NoError(t, h.srv.Await(t.Context(), runtimetest.Polling(1)))
			require.NoError(t, h.stop(t))
			var said []string
			for _, err := range h.errs.all() {
				if strings.Contains(err.Error(), "platform telemetry") {
					said = append(said, err.Error())
				}
			}
			require.Len(t, said, 1, "%v", h.errs.all())
			require.Contains(t, said[0], "platform telemetry off")
			require.Contains(t, said[0], tt.want)
		})
	}
}
