package runtime_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"sync"
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
		// A composite propagator is not comparable with ==.
		if !reflect.DeepEqual(otel.GetTextMapPropagator(), prop) {
			otel.SetTextMapPropagator(prop)
		}
	})
}

func TestDefaultTelemetryConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{name: "metrics exporter not linked", env: map[string]string{"OTEL_METRICS_EXPORTER": "pushgateway"},
			want: `import _ "github.com/lumen-rt/lumen/exporters/pushgateway"`},
		{name: "metrics exporter not linked, by its Lumen alias", env: map[string]string{runtime.EnvMetricsExporter: "remotewrite"},
			want: `import _ "github.com/lumen-rt/lumen/exporters/remotewrite"`},
		{name: "OTLP over gRPC not linked", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			want: `import _ "github.com/lumen-rt/lumen/exporters/otlpgrpc"`},
		{name: "invalid flush budget", env: map[string]string{"LUMEN_FLUSH_BUDGET": "soon"},
			want: `LUMEN_FLUSH_BUDGET`},
		{name: "invalid flush strategy", env: map[string]string{"LUMEN_FLUSH_STRATEGY": "sometimes"},
			want: `LUMEN_FLUSH_STRATEGY`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keepGlobals(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
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

// Values the OpenTelemetry specification says to warn about and ignore do
// not take the function down: each is reported once to the error handler,
// and the function serves.
func TestDefaultTelemetryWarnsAndServes(t *testing.T) {
	keepGlobals(t)
	t.Setenv("OTEL_METRICS_EXPORTER", "EMF,carrier-pigeon")
	t.Setenv("OTEL_TRACES_EXPORTER", "Console")
	t.Setenv("OTEL_PROPAGATORS", "tracecontext,b3,smoke-signal")
	t.Setenv("OTEL_TRACES_SAMPLER", "sometimes")
	t.Setenv("OTEL_SDK_DISABLED", "maybe")
	srv := runtimetest.NewServer()
	defer srv.Close()
	var mu sync.Mutex
	var reported []string
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	opts := runtime.WithDefaults(ctx, []runtime.Option{
		runtime.WithRuntimeAPI(srv.Addr()), runtime.WithShutdownExtension(false),
		runtime.WithErrorHandler(func(err error) {
			mu.Lock()
			defer mu.Unlock()
			reported = append(reported, err.Error())
		}),
	})
	go func() {
		done <- runtime.Run(ctx, func(ctx context.Context) (string, error) { return traceIDOf(ctx), nil }, opts...)
	}()
	res, err := srv.Invoke(t.Context(), []byte(`{}`), runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
	require.NoError(t, err)
	require.NotEqual(t, `""`, string(res.Body), "the console exporter, named in upper case, traces the invocation")
	cancel()
	require.NoError(t, <-done)
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{`OTEL_METRICS_EXPORTER="carrier-pigeon"`, `OTEL_PROPAGATORS="smoke-signal"`,
		`OTEL_TRACES_SAMPLER="sometimes"`, `OTEL_SDK_DISABLED="maybe"`} {
		n := 0
		for _, r := range reported {
			if strings.Contains(r, want) {
				n++
			}
		}
		require.Equal(t, 1, n, "%s reported once in %q", want, reported)
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
