package runtime_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

// keepGlobals restores slog's default logger and OpenTelemetry's globals,
// which the default telemetry replaces.
func keepGlobals(t *testing.T) {
	logger, tp, prop := slog.Default(), otel.GetTracerProvider(), otel.GetTextMapPropagator()
	t.Cleanup(func() {
		slog.SetDefault(logger)
		if sdk, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); ok {
			require.NoError(t, sdk.Shutdown(context.Background()))
			otel.SetTracerProvider(tp)
		}
		otel.SetTextMapPropagator(prop)
	})
}

func TestDefaultTelemetryConfigErrors(t *testing.T) {
	tests := []struct {
		name, env, value, want string
	}{
		{name: "unknown metrics exporter", env: runtime.EnvMetricsExporter, value: "emf,carrier-pigeon",
			want: `unknown metrics exporter "carrier-pigeon"`},
		{name: "metrics exporter not linked", env: runtime.EnvMetricsExporter, value: "pushgateway",
			want: `import _ "github.com/lumen-rt/lumen/exporters/pushgateway"`},
		{name: "trace exporter not linked", env: "OTEL_TRACES_EXPORTER", value: "otlp",
			want: `import _ "github.com/lumen-rt/lumen/exporters/otlp"`},
		{name: "log exporter not linked", env: "OTEL_LOGS_EXPORTER", value: "otlp",
			want: `import _ "github.com/lumen-rt/lumen/exporters/otlp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keepGlobals(t)
			t.Setenv(tt.env, tt.value)
			srv := runtimetest.NewServer()
			defer srv.Close()
			opts := runtime.WithDefaults(t.Context(), []runtime.Option{
				runtime.WithRuntimeAPI(srv.Addr()), runtime.WithShutdownExtension(false),
			})
			err := runtime.Run(t.Context(), func() error { return nil }, opts...)
			initErr, ok := err.(*runtime.InitError)
			require.True(t, ok, "want an *InitError, got %v", err)
			require.Equal(t, runtime.ErrorTypeInvalidConfig, initErr.Type)
			posted := srv.InitErrors()
			require.Len(t, posted, 1)
			require.Equal(t, runtime.ErrorTypeInvalidConfig, posted[0].ErrorType)
			var doc runtime.ErrorDocument
			require.NoError(t, json.Unmarshal(posted[0].Body, &doc))
			require.Contains(t, doc.Message, tt.want)
		})
	}
}

func TestDefaultTelemetryServes(t *testing.T) {
	keepGlobals(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "console")
	t.Setenv(runtime.EnvMetricsExporter, "none")
	srv := runtimetest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	opts := runtime.WithDefaults(ctx, []runtime.Option{runtime.WithRuntimeAPI(srv.Addr()), runtime.WithShutdownExtension(false)})
	go func() {
		done <- runtime.Run(ctx, func(ctx context.Context) (bool, error) {
			return otel.GetTracerProvider() != nil && traceIDOf(ctx) != "", nil
		}, opts...)
	}()
	res, err := srv.Invoke(t.Context(), []byte(`{}`), runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
	require.NoError(t, err)
	require.Equal(t, "true", string(res.Body), "the handler's context carries a span of the default tracer provider")
	cancel()
	require.NoError(t, <-done)
}

func traceIDOf(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return ""
	}
	return sc.TraceID().String()
}
