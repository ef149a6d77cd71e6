package telemetry_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace/noop"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/telemetry"
)

// keepGlobals restores slog's default logger and OpenTelemetry's globals,
// which Install replaces.
func keepGlobals(t *testing.T) {
	t.Helper()
	logger, tp, prop, eh := slog.Default(), otel.GetTracerProvider(), otel.GetTextMapPropagator(), otel.GetErrorHandler()
	t.Cleanup(func() {
		slog.SetDefault(logger)
		if otel.GetTracerProvider() != tp {
			otel.SetTracerProvider(tp)
		}
		if otel.GetTextMapPropagator() != prop {
			otel.SetTextMapPropagator(prop)
		}
		otel.SetErrorHandler(eh)
	})
}

// build makes a pipeline of vars, logging into a buffer, shut down at the
// end of the test.
func build(t *testing.T, vars map[string]string, opts ...telemetry.Option) (*telemetry.Pipeline, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	opts = append([]telemetry.Option{telemetry.WithEnv(telemetry.ReadEnv(env(vars))), telemetry.WithLogWriter(&out)}, opts...)
	p, err := telemetry.New(t.Context(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })
	return p, &out
}

// sink returns the URL of an OTLP/HTTP endpoint that accepts everything.
func sink(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func names(p *telemetry.Pipeline) []string {
	var out []string
	for _, f := range p.Flushers() {
		out = append(out, f.Name())
	}
	return out
}

func TestPipelineDefaults(t *testing.T) {
	tests := []struct {
		name     string
		vars     map[string]string
		flushers []string
		tracing  bool
		metrics  bool
	}{
		{name: "nothing set: EMF metrics only", flushers: []string{"emf"}, metrics: true},
		{name: "Lambda with active tracing: X-Ray spans and EMF metrics",
			vars:     map[string]string{"AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000"},
			flushers: []string{"emf", "traces"}, tracing: true, metrics: true},
		{name: "an OTLP endpoint alone: all three signals over OTLP, no import needed",
			vars:     map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector"},
			flushers: []string{"otlp", "traces", "otlp"}, tracing: true, metrics: true},
		{name: "the SDK disabled: nothing but the log handler",
			vars: map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000"}},
		{name: "none everywhere",
			vars: map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.vars["OTEL_EXPORTER_OTLP_ENDPOINT"] == "collector" {
				tt.vars["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink(t)
			}
			p, _ := build(t, tt.vars)
			require.Equal(t, tt.flushers, names(p))
			require.Equal(t, tt.tracing, p.TracerProvider() != nil, "tracer provider")
			require.Equal(t, tt.metrics, p.Metrics() != nil, "metrics recorder")
			require.NotNil(t, p.LogHandler(), "the Lambda log handler is always there")
			require.Empty(t, p.Warnings())
		})
	}
}

func TestPipelineNotLinked(t *testing.T) {
	for _, vars := range []map[string]string{
		{"OTEL_METRICS_EXPORTER": "pushgateway"},
		{"OTEL_METRICS_EXPORTER": "remotewrite"},
		{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"},
		{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
	} {
		_, err := telemetry.New(t.Context(), telemetry.WithEnv(telemetry.ReadEnv(env(vars))))
		require.ErrorContains(t, err, `import _ "github.com/lumen-rt/lumen/exporters/`, "%v", vars)
		var ve *telemetry.VarError
		require.ErrorAs(t, err, &ve, "the error names the variable")
	}
}

func TestPipelineUnknownNamesWarn(t *testing.T) {
	p, _ := build(t, map[string]string{
		"OTEL_TRACES_EXPORTER":  "zipkin,console",
		"OTEL_METRICS_EXPORTER": "statsd,emf",
		"OTEL_LOGS_EXPORTER":    "fluent,console",
	})
	require.Equal(t, []string{"emf", "traces"}, names(p), "the known exporters are built")
	require.ElementsMatch(t, []string{"OTEL_TRACES_EXPORTER=zipkin", "OTEL_METRICS_EXPORTER=statsd", "OTEL_LOGS_EXPORTER=fluent"}, vars(t, p.Warnings()))
}

func TestPipelineKeepsTheFunctionsTracerProvider(t *testing.T) {
	vars := map[string]string{"OTEL_TRACES_EXPORTER": "console", "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000"}
	t.Run("set as the global provider before the pipeline", func(t *testing.T) {
		keepGlobals(t)
		own := sdktrace.NewTracerProvider()
		t.Cleanup(func() { require.NoError(t, own.Shutdown(context.Background())) })
		otel.SetTracerProvider(own)
		p, _ := build(t, vars)
		require.Same(t, own, p.TracerProvider())
		require.Equal(t, []string{"emf", "traces"}, names(p), "the function's provider is flushed, no exporter is built")
		p.Install()
		require.Same(t, own, otel.GetTracerProvider(), "Install leaves the function's provider in place")
	})
	t.Run("given as an option", func(t *testing.T) {
		keepGlobals(t)
		own := sdktrace.NewTracerProvider()
		t.Cleanup(func() { require.NoError(t, own.Shutdown(context.Background())) })
		before := otel.GetTracerProvider()
		p, _ := build(t, vars, telemetry.WithTracerProvider(own))
		require.Same(t, own, p.TracerProvider())
		p.Install()
		require.Equal(t, before, otel.GetTracerProvider(), "a provider given to Lumen is not made global behind the function's back")
	})
	t.Run("a provider without ForceFlush is used and not flushed", func(t *testing.T) {
		keepGlobals(t)
		p, _ := build(t, vars, telemetry.WithTracerProvider(noop.NewTracerProvider()))
		require.Equal(t, []string{"emf"}, names(p))
	})
	t.Run("the pipeline's own provider is installed", func(t *testing.T) {
		keepGlobals(t)
		p, _ := build(t, vars)
		p.Install()
		require.Same(t, p.TracerProvider(), otel.GetTracerProvider())
	})
}

func TestPipelineRecorderOptions(t *testing.T) {
	rec, err := metrics.New()
	require.NoError(t, err)
	p, _ := build(t, nil, telemetry.WithMetrics(rec))
	require.Same(t, rec, p.Metrics())
	require.Equal(t, []string{"emf"}, names(p), "the environment's exporters export the given recorder")
	p, _ = build(t, nil, telemetry.WithoutMetrics())
	require.Nil(t, p.Metrics())
	require.Empty(t, names(p))
}

func TestPipelinePropagators(t *testing.T) {
	tests := []struct {
		name     string
		vars     map[string]string
		fields   []string
		warnings []string
	}{
		{name: "default", fields: []string{"traceparent", "tracestate", "baggage"}},
		{name: "default, spans to X-Ray", vars: map[string]string{"AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000"},
			fields: []string{"traceparent", "tracestate", "baggage", "X-Amzn-Trace-Id"}},
		{name: "every name of the specification", vars: map[string]string{"OTEL_PROPAGATORS": "tracecontext,baggage,b3,b3multi,jaeger,xray,ottrace"},
			fields: []string{"traceparent", "tracestate", "baggage", "b3", "x-b3-traceid", "uber-trace-id", "X-Amzn-Trace-Id", "ot-tracer-traceid"}},
		{name: "xray-lambda", vars: map[string]string{"OTEL_PROPAGATORS": "tracecontext,XRAY-LAMBDA"},
			fields: []string{"traceparent", "tracestate", "X-Amzn-Trace-Id"}},
		{name: "unknown names are skipped", vars: map[string]string{"OTEL_PROPAGATORS": "b3,carrier-pigeon"},
			fields: []string{"b3"}, warnings: []string{"OTEL_PROPAGATORS=carrier-pigeon"}},
		{name: "only unknown names: the default", vars: map[string]string{"OTEL_PROPAGATORS": "carrier-pigeon"},
			fields: []string{"traceparent", "tracestate", "baggage"}, warnings: []string{"OTEL_PROPAGATORS=carrier-pigeon"}},
		{name: "none", vars: map[string]string{"OTEL_PROPAGATORS": "none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := build(t, tt.vars)
			fields := p.Propagator().Fields()
			for _, f := range tt.fields {
				require.True(t, slices.ContainsFunc(fields, func(g string) bool { return strings.EqualFold(f, g) }), "%s in %v", f, fields)
			}
			if tt.fields == nil {
				require.Empty(t, fields)
			}
			require.Equal(t, tt.warnings, vars(t, p.Warnings()))
		})
	}
}

func TestPipelineInstall(t *testing.T) {
	keepGlobals(t)
	var reported []error
	p, out := build(t, map[string]string{"OTEL_PROPAGATORS": "b3,carrier-pigeon", "AWS_LAMBDA_LOG_FORMAT": "JSON"},
		telemetry.WithErrorHandler(func(err error) { reported = append(reported, err) }))
	p.Install()
	p.Install()
	require.Len(t, reported, 1, "each warning is reported once, whatever the number of Install calls")
	require.ErrorContains(t, reported[0], "carrier-pigeon")
	slog.Info("through the default logger")
	require.Contains(t, out.String(), `"message":"through the default logger"`, "slog's default is the pipeline's handler")
	carrier := propagation.MapCarrier{}
	ctx := trace.ContextWithSpanContext(t.Context(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: trace.FlagsSampled}))
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	require.NotEmpty(t, carrier.Get("b3"), "the global propagator is the pipeline's")
}

func TestPipelineKeepsTheFunctionsPropagator(t *testing.T) {
	keepGlobals(t)
	otel.SetTextMapPropagator(propagation.Baggage{})
	p, _ := build(t, map[string]string{"OTEL_PROPAGATORS": "b3"})
	p.Install()
	require.Equal(t, propagation.Baggage{}, otel.GetTextMapPropagator())
}

func TestPipelineWithoutLogHandler(t *testing.T) {
	keepGlobals(t)
	before := slog.Default()
	p, _ := build(t, nil, telemetry.WithoutLogHandler())
	require.Nil(t, p.LogHandler())
	p.Install()
	require.Same(t, before, slog.Default())
}

func TestPipelineShutdownOnce(t *testing.T) {
	p, err := telemetry.New(t.Context(), telemetry.WithEnv(telemetry.ReadEnv(env(map[string]string{"AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000"}))))
	require.NoError(t, err)
	require.NoError(t, p.Start(t.Context()))
	require.NoError(t, p.ForceFlush(t.Context()))
	require.NoError(t, p.Shutdown(t.Context()))
	require.NoError(t, p.Shutdown(t.Context()))
}
