package traces

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters/console"
	"github.com/lumen-rt/lumen/exporters/xray"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) Dropped(exporter, signal string, items int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[exporter+"/"+signal] += items
}

func (c *counter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}

// describe names each exporter by its concrete type, unwrapping Counting.
func describe(exps []sdktrace.SpanExporter) []string {
	var out []string
	for _, e := range exps {
		prefix := ""
		if c, ok := e.(*CountingExporter); ok {
			prefix = "counting(" + c.Name() + ")."
			e = c.Unwrap()
		}
		out = append(out, prefix+fmt.Sprintf("%T", e))
	}
	return out
}

func shutdownAll(t *testing.T, exps []sdktrace.SpanExporter) {
	t.Cleanup(func() {
		for _, e := range exps {
			require.NoError(t, e.Shutdown(context.Background()))
		}
	})
}

func TestNewSelection(t *testing.T) {
	const (
		otlpT    = "*otlptrace.Exporter"
		xrayT    = "*xray.Exporter"
		consoleT = "*console.Exporter"
	)
	tests := []struct {
		name    string
		env     map[string]string
		opts    []Option
		want    []string
		wantErr error
		errVar  string
	}{
		{name: "unset is otlp", want: []string{otlpT}},
		{name: "otlp grpc", env: map[string]string{EnvExporter: "otlp", EnvOTLPProtocol: "grpc"}, want: []string{otlpT}},
		{name: "xray", env: map[string]string{EnvExporter: "xray"}, want: []string{xrayT}},
		{name: "console", env: map[string]string{EnvExporter: "console"}, want: []string{consoleT}},
		{name: "none", env: map[string]string{EnvExporter: "none"}, want: nil},
		{name: "list with spaces and duplicates", env: map[string]string{EnvExporter: " otlp, xray ,,console,xray,none"}, want: []string{otlpT, xrayT, consoleT}},
		{name: "option beats env", env: map[string]string{EnvExporter: "otlp"}, opts: []Option{WithExporters("console")}, want: []string{consoleT}},
		{name: "empty option means none", env: map[string]string{EnvExporter: "otlp"}, opts: []Option{WithExporters()}, want: nil},
		{name: "default when unset", opts: []Option{WithDefault("xray")}, want: []string{xrayT}},
		{name: "env beats default", env: map[string]string{EnvExporter: "console"}, opts: []Option{WithDefault("xray")}, want: []string{consoleT}},
		{
			name: "counted", env: map[string]string{EnvExporter: "otlp,xray,console"}, opts: []Option{WithDropCounter(&counter{})},
			want: []string{"counting(otlp)." + otlpT, xrayT, "counting(console)." + consoleT},
		},
		{
			name: "custom factory", env: map[string]string{EnvExporter: "mine"},
			opts: []Option{WithFactory("mine", func(context.Context) (sdktrace.SpanExporter, error) { return tracetest.NewNoopExporter(), nil })},
			want: []string{"*tracetest.NoopExporter"},
		},
		{name: "unknown", env: map[string]string{EnvExporter: "console,jaeger"}, wantErr: ErrUnknownExporter, errVar: EnvExporter},
		{name: "unknown option", opts: []Option{WithExporters("zipkin")}, wantErr: ErrUnknownExporter, errVar: "option"},
		{name: "bad protocol", env: map[string]string{EnvOTLPProtocol: "http/json"}, wantErr: ErrInvalidProtocol, errVar: EnvOTLPProtocol},
		{
			name: "traces protocol beats general", env: map[string]string{EnvOTLPProtocol: "grpc", EnvOTLPTraceProtocol: "thrift"},
			wantErr: ErrInvalidProtocol, errVar: EnvOTLPTraceProtocol,
		},
		{name: "bad xray address", env: map[string]string{EnvExporter: "xray", xray.EnvDaemonAddress: "nowhere"}, wantErr: xray.ErrInvalidAddress},
		{
			name: "factory error", env: map[string]string{EnvExporter: "mine"},
			opts:    []Option{WithFactory("mine", func(context.Context) (sdktrace.SpanExporter, error) { return nil, io.ErrUnexpectedEOF })},
			wantErr: io.ErrUnexpectedEOF,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{EnvExporter, EnvOTLPProtocol, EnvOTLPTraceProtocol, xray.EnvDaemonAddress} {
				t.Setenv(k, tt.env[k])
			}
			exps, err := New(t.Context(), tt.opts...)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.Nil(t, exps)
				if tt.errVar != "" {
					var ce *ConfigError
					require.ErrorAs(t, err, &ce)
					require.Equal(t, tt.errVar, ce.Var)
				}
				return
			}
			require.NoError(t, err)
			shutdownAll(t, exps)
			require.Equal(t, tt.want, describe(exps))
		})
	}
}

func oneSpan() []sdktrace.ReadOnlySpan {
	return tracetest.SpanStubs{{
		Name: "s",
		SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled,
		}),
	}}.Snapshots()
}

// TestOTLPHTTPFollowsEnv points the OTLP exporter at a loopback server
// through OTEL_EXPORTER_OTLP_ENDPOINT and checks the request, then makes
// the server refuse and checks that the spans are counted as dropped.
func TestOTLPHTTPFollowsEnv(t *testing.T) {
	var (
		mu     sync.Mutex
		status = http.StatusOK
		got    []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+r.Header.Get("X-Tenant"))
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	t.Setenv(EnvExporter, "otlp")
	t.Setenv(EnvOTLPProtocol, "http/protobuf")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=acme")

	var c counter
	exps, err := New(t.Context(), WithDropCounter(&c))
	require.NoError(t, err)
	shutdownAll(t, exps)
	require.Len(t, exps, 1)

	require.NoError(t, exps[0].ExportSpans(t.Context(), oneSpan()))
	mu.Lock()
	require.Equal(t, []string{"POST /v1/traces application/x-protobuf acme"}, got)
	status = http.StatusBadRequest // not retryable: fails at once
	mu.Unlock()

	err = exps[0].ExportSpans(t.Context(), append(oneSpan(), oneSpan()...))
	require.Error(t, err)
	require.Equal(t, 2, c.get("otlp/traces"))
}

// TestOTLPGRPCFollowsEnv sends over gRPC to a TCP listener that closes every
// connection: the export fails once OTEL_EXPORTER_OTLP_TIMEOUT has passed
// and the span is counted. internal/collector proves delivery over gRPC to a
// real collector.
func TestOTLPGRPCFollowsEnv(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	})
	t.Cleanup(func() { _ = l.Close(); wg.Wait() })
	t.Setenv(EnvExporter, "otlp")
	t.Setenv(EnvOTLPTraceProtocol, "grpc")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+l.Addr().String())
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "100")

	var c counter
	exps, err := New(t.Context(), WithDropCounter(&c))
	require.NoError(t, err)
	shutdownAll(t, exps)
	_, isOTLP := exps[0].(*CountingExporter).Unwrap().(*otlptrace.Exporter)
	require.True(t, isOTLP)

	require.ErrorContains(t, exps[0].ExportSpans(t.Context(), oneSpan()), "export timeout")
	require.Equal(t, 1, c.get("otlp/traces"))
}

type fakeExporter struct {
	err     error
	flushed bool
}

func (f *fakeExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return f.err }
func (f *fakeExporter) Shutdown(context.Context) error                             { return nil }
func (f *fakeExporter) ForceFlush(context.Context) error                           { f.flushed = true; return nil }

func TestCounting(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{name: "success counts nothing", want: 0},
		{name: "failure counts the batch", err: errors.New("refused"), want: 3},
		{name: "partial failure counts what was lost", err: fmt.Errorf("wrapped: %w", &xray.ExportError{Dropped: 1, Err: xray.ErrDocumentTooLarge}), want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c counter
			inner := &fakeExporter{err: tt.err}
			exp := Counting(inner, "fake", &c)
			spans := append(append(oneSpan(), oneSpan()...), oneSpan()...)
			require.ErrorIs(t, exp.ExportSpans(t.Context(), spans), tt.err)
			require.Equal(t, tt.want, c.get("fake/traces"))
			require.NoError(t, exp.(*CountingExporter).ForceFlush(t.Context()))
			require.True(t, inner.flushed)
		})
	}
	t.Run("nil counter returns the exporter", func(t *testing.T) {
		inner := console.New()
		require.Same(t, inner, Counting(inner, "console", nil))
	})
}
