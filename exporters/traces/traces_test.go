package traces

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/console"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/xray"
)

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

// registered is a span exporter name registered by this test, as
// exporters/otlp registers otlp; cfgs records the Config of every call.
const registered = "traces-test-registered"

var cfgs = make(chan exporters.Config, 64)

func init() {
	exporters.RegisterSpanExporter(registered, func(_ context.Context, cfg exporters.Config) (sdktrace.SpanExporter, error) {
		cfgs <- cfg
		return tracetest.NewInMemoryExporter(), nil
	})
	exporters.RegisterSpanExporter("traces-test-failing", func(context.Context, exporters.Config) (sdktrace.SpanExporter, error) {
		return nil, io.ErrUnexpectedEOF
	})
}

func TestNewSelection(t *testing.T) {
	const (
		xrayT     = "*xray.Exporter"
		consoleT  = "*console.Exporter"
		inMemoryT = "*tracetest.InMemoryExporter"
	)
	tests := []struct {
		name    string
		env     string // OTEL_TRACES_EXPORTER
		xray    string // AWS_XRAY_DAEMON_ADDRESS
		opts    []Option
		want    []string
		wantErr error
		errVar  string
	}{
		{name: "xray", env: "xray", want: []string{xrayT}},
		{name: "console", env: "console", want: []string{consoleT}},
		{name: "none", env: "none", want: nil},
		{name: "registered", env: registered, want: []string{inMemoryT}},
		{
			name: "list with spaces and duplicates", env: " " + registered + ", xray ,,console,xray,none",
			want: []string{inMemoryT, xrayT, consoleT},
		},
		{name: "option beats env", env: "xray", opts: []Option{WithExporters("console")}, want: []string{consoleT}},
		{name: "empty option means none", env: "xray", opts: []Option{WithExporters()}, want: nil},
		{name: "default when unset", opts: []Option{WithDefault("xray")}, want: []string{xrayT}},
		{name: "env beats default", env: "console", opts: []Option{WithDefault("xray")}, want: []string{consoleT}},
		{
			name: "counted, registered exporters count their own", env: registered + ",xray,console",
			opts: []Option{WithDropCounter(&exportertest.Drops{})},
			want: []string{inMemoryT, xrayT, "counting(console)." + consoleT},
		},
		{
			name: "custom factory", env: "mine",
			opts: []Option{WithFactory("mine", func(context.Context) (sdktrace.SpanExporter, error) { return tracetest.NewNoopExporter(), nil })},
			want: []string{"*tracetest.NoopExporter"},
		},
		{
			name: "custom factory replaces a registered one", env: registered,
			opts: []Option{WithFactory(registered, func(context.Context) (sdktrace.SpanExporter, error) { return tracetest.NewNoopExporter(), nil })},
			want: []string{"*tracetest.NoopExporter"},
		},
		{name: "unknown", env: "console,jaeger", wantErr: ErrUnknownExporter, errVar: EnvExporter},
		{name: "unknown option", opts: []Option{WithExporters("zipkin")}, wantErr: ErrUnknownExporter, errVar: "option"},
		{name: "unlinked default", wantErr: exporters.ErrNotLinked, errVar: "default"},
		{name: "bad xray address", env: "xray", xray: "nowhere", wantErr: xray.ErrInvalidAddress},
		{
			name: "factory error", env: "mine",
			opts:    []Option{WithFactory("mine", func(context.Context) (sdktrace.SpanExporter, error) { return nil, io.ErrUnexpectedEOF })},
			wantErr: io.ErrUnexpectedEOF,
		},
		{name: "registered factory error", env: "console,traces-test-failing", wantErr: io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvExporter, tt.env)
			t.Setenv(xray.EnvDaemonAddress, tt.xray)
			exps, err := New(t.Context(), tt.opts...)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.Nil(t, exps)
				if tt.errVar != "" {
					ce, ok := errors.AsType[*ConfigError](err)
					require.True(t, ok)
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

// TestRegisteredGetsDropCounter checks that a registered factory receives
// the DropCounter, and that its exporter is not wrapped again: its failures
// are counted once, by the exporter.
func TestRegisteredGetsDropCounter(t *testing.T) {
	for len(cfgs) > 0 {
		<-cfgs
	}
	var drops exportertest.Drops
	exps, err := New(t.Context(), WithExporters(registered), WithDropCounter(&drops))
	require.NoError(t, err)
	shutdownAll(t, exps)
	cfg := <-cfgs
	require.Same(t, &drops, cfg.Drops)
	require.Nil(t, cfg.Gatherer)
	_, wrapped := exps[0].(*CountingExporter)
	require.False(t, wrapped)
}

// TestOTLPNotLinked checks that otlp, the specification's default, fails
// with the import to add when the function does not import exporters/otlp
// (this test binary does not).
func TestOTLPNotLinked(t *testing.T) {
	tests := []struct {
		name, env string
		opts      []Option
		wantVar   string
	}{
		{name: "default", wantVar: "default"},
		{name: "env", env: "xray,otlp", wantVar: EnvExporter},
		{name: "option", opts: []Option{WithExporters(NameOTLP)}, wantVar: "option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvExporter, tt.env)
			t.Setenv(xray.EnvDaemonAddress, "")
			exps, err := New(t.Context(), tt.opts...)
			require.Nil(t, exps)
			require.ErrorIs(t, err, exporters.ErrNotLinked)
			require.ErrorIs(t, err, ErrUnknownExporter)
			nl, ok := errors.AsType[*exporters.NotLinkedError](err)
			require.True(t, ok)
			// OTLP is built into every function through the telemetry
			// package; this package alone does not link it.
			require.Equal(t, exporters.NotLinkedError{Signal: exporters.SignalTraces, Name: NameOTLP}, *nl)
			ce, ok := errors.AsType[*ConfigError](err)
			require.True(t, ok)
			require.Equal(t, tt.wantVar, ce.Var)
			require.Contains(t, err.Error(), `unknown traces exporter "otlp"`)
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
			var c exportertest.Drops
			inner := &fakeExporter{err: tt.err}
			exp := Counting(inner, "fake", &c)
			spans := append(append(oneSpan(), oneSpan()...), oneSpan()...)
			require.ErrorIs(t, exp.ExportSpans(t.Context(), spans), tt.err)
			require.Equal(t, tt.want, c.Count("fake", exporters.SignalTraces))
			require.NoError(t, exp.(*CountingExporter).ForceFlush(t.Context()))
			require.True(t, inner.flushed)
		})
	}
	t.Run("nil counter returns the exporter", func(t *testing.T) {
		inner := console.New()
		require.Same(t, inner, Counting(inner, "console", nil))
	})
}
