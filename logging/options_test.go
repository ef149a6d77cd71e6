package logging_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/logging"
)

// TestNoEnvironmentRead sets every variable the handler used to read to a
// value that would change its output, and checks that NewHandler, Default
// and Wrap keep their defaults: the telemetry package reads the environment
// and passes options.
func TestNoEnvironmentRead(t *testing.T) {
	for k, v := range map[string]string{
		"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "ERROR", "POWERTOOLS_LOG_LEVEL": "ERROR",
		"POWERTOOLS_LOGGER_SAMPLE_RATE": "1", "POWERTOOLS_SERVICE_NAME": "from-env", "OTEL_SERVICE_NAME": "from-env",
		"AWS_LAMBDA_FUNCTION_NAME": "from-env", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
	} {
		t.Setenv(k, v)
	}
	ctx, _ := invocationCtx(1)
	var buf bytes.Buffer
	called := false
	h := logging.NewHandler(&buf, logging.WithConfigErrorHandler(func(error) { called = true }))
	require.False(t, h.Enabled(ctx, slog.LevelDebug), "INFO by default, and no sampling")
	require.True(t, h.Enabled(ctx, slog.LevelInfo))
	slog.New(h).InfoContext(ctx, "hello")
	line := strings.TrimSpace(buf.String())
	require.True(t, strings.HasPrefix(line, "timestamp="), "Text by default: %s", line)
	m := parseText(t, line)
	require.Equal(t, requestID(1), m[logging.RequestIDKey])
	for _, k := range []string{logging.FunctionNameKey, logging.FunctionMemorySizeKey, logging.ServiceKey, logging.SamplingRateKey} {
		require.NotContains(t, m, k)
	}
	require.False(t, called, "there is no configuration error to report")

	w := logging.Wrap(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	require.False(t, w.Enabled(ctx, slog.LevelDebug))
	require.True(t, w.Enabled(ctx, slog.LevelInfo))
}

// TestNoEnvironmentReadInSource fails if a non-test file of the package
// calls one of os's environment functions.
func TestNoEnvironmentReadInSource(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" {
					require.NotContains(t, []string{"Getenv", "LookupEnv", "Environ", "ExpandEnv"}, sel.Sel.Name,
						"%s reads the environment", fset.Position(sel.Pos()))
				}
			}
			return true
		})
		checked++
	}
	require.Greater(t, checked, 10)
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		opts []logging.Option
		json bool
	}{
		{name: "default", json: false},
		{name: "JSON", opts: []logging.Option{logging.WithFormat(logging.FormatJSON)}, json: true},
		{name: "Text", opts: []logging.Option{logging.WithFormat(logging.FormatText)}, json: false},
		{name: "later wins/Text", opts: []logging.Option{logging.WithFormat(logging.FormatJSON), logging.WithFormat(logging.FormatText)}, json: false},
		{name: "later wins/JSON", opts: []logging.Option{logging.WithFormat(logging.FormatText), logging.WithFormat(logging.FormatJSON)}, json: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			slog.New(logging.NewHandler(&buf, tt.opts...)).Info("hello", "n", 1)
			line := strings.TrimSuffix(buf.String(), "\n")
			if tt.json {
				m := parseJSON(t, line)
				require.Equal(t, "hello", m[logging.MessageKey])
				require.Equal(t, "INFO", m[logging.LevelKey])
				require.InDelta(t, 1, m["n"], 0)
			} else {
				require.Regexp(t, `^timestamp=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=INFO message=hello n=1$`, line)
			}
		})
	}
	for _, v := range []string{"json", "JSON", " Json "} {
		f, err := logging.ParseFormat(v)
		require.NoError(t, err)
		require.Equal(t, logging.FormatJSON, f)
	}
}

func TestOptions(t *testing.T) {
	var lv slog.LevelVar
	lv.Set(slog.LevelWarn)
	// Later options override earlier ones, as the caller's options override
	// the ones telemetry derives from the environment.
	l, parse := capture(t, logging.FormatJSON,
		logging.WithLevel(slog.LevelError), logging.WithFunctionName("from-env"), logging.WithFunctionMemorySize(128),
		logging.WithLevel(&lv), logging.WithFunctionName("checkout"), logging.WithFunctionMemorySize(512))
	ctx, _ := invocationCtx(1)
	l.InfoContext(ctx, "dropped")
	l.WarnContext(ctx, "kept")
	lv.Set(slog.LevelInfo) // a LevelVar changes the level at run time
	l.InfoContext(ctx, "kept too")
	ms := parse()
	require.Len(t, ms, 2)
	require.Equal(t, "kept", ms[0][logging.MessageKey])
	require.Equal(t, "kept too", ms[1][logging.MessageKey])
	require.Equal(t, "checkout", ms[0][logging.FunctionNameKey])
	require.InDelta(t, 512, ms[0][logging.FunctionMemorySizeKey], 0)
}

func TestService(t *testing.T) {
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			l, parse := capture(t, format, logging.WithService("payments"), logging.WithSampleRate(0.5))
			inv, _ := invocationCtx(1)
			l.Info("outside an invocation")
			l.InfoContext(inv, "inside")
			l.WithGroup("g").With("a", 1).InfoContext(inv, "grouped", "b", 2)
			ms := parse()
			require.Len(t, ms, 3)
			for _, m := range ms {
				require.Equal(t, "payments", m[logging.ServiceKey], m)
			}
			g, ok := ms[2]["g"].(map[string]any)
			require.True(t, ok, ms[2])
			require.NotContains(t, g, logging.ServiceKey, "the service stays at the top level")

			// Without the option, no service key.
			l, parse = capture(t, format, logging.WithService("payments"), logging.WithService(""))
			l.InfoContext(inv, "no service")
			require.NotContains(t, parse()[0], logging.ServiceKey)
		})
	}
}
