package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/telemetry"
)

// TestLoggingOptions reads each environment through ReadEnv and checks what
// a handler built from Env.LoggingOptions writes, and the warnings of the
// values left out (from ReadEnv and from LoggingOptions).
func TestLoggingOptions(t *testing.T) {
	const (
		lambdaLevel = telemetry.EnvLogLevel
		ptLevel     = telemetry.EnvPowertoolsLogLevel
		format      = telemetry.EnvLogFormat
		rate        = telemetry.EnvPowertoolsLoggerSampleRate
		otelService = telemetry.EnvServiceName
		attrs       = telemetry.EnvResourceAttributes
		ptService   = telemetry.EnvPowertoolsServiceName
		fnName      = telemetry.EnvFunctionName
		memory      = telemetry.EnvFunctionMemorySize
	)
	tests := []struct {
		name     string
		env      map[string]string
		level    string  // the lowest level written, as Lambda names it
		json     bool    // JSON lines rather than Text
		service  string  // "" for no service key
		rate     float64 // the sampling_rate written; 0 for none
		function string  // "" for no function_name key
		memory   float64 // 0 for no function_memory_size key
		warnings []string
	}{
		{name: "nothing set", level: "INFO"},
		{name: "AWS_LAMBDA_LOG_LEVEL", env: map[string]string{lambdaLevel: "WARN"}, level: "WARN"},
		{name: "any case and spaces", env: map[string]string{lambdaLevel: " trace "}, level: "TRACE"},
		{name: "Lambda's level wins over Powertools'", env: map[string]string{lambdaLevel: "ERROR", ptLevel: "debug"},
			level: "ERROR", warnings: []string{ptLevel}},
		{name: "the same level twice", env: map[string]string{lambdaLevel: "WARN", ptLevel: "warn"}, level: "WARN"},
		{name: "POWERTOOLS_LOG_LEVEL when Lambda's is unset", env: map[string]string{ptLevel: "debug"}, level: "DEBUG"},
		{name: "invalid AWS_LAMBDA_LOG_LEVEL", env: map[string]string{lambdaLevel: "VERBOSE"},
			level: "INFO", warnings: []string{lambdaLevel}},
		{name: "invalid AWS_LAMBDA_LOG_LEVEL over Powertools'", env: map[string]string{lambdaLevel: "VERBOSE", ptLevel: "DEBUG"},
			level: "INFO", warnings: []string{lambdaLevel, ptLevel}},
		{name: "invalid POWERTOOLS_LOG_LEVEL", env: map[string]string{ptLevel: "loud"},
			level: "INFO", warnings: []string{ptLevel}},
		{name: "JSON", env: map[string]string{format: "json"}, level: "INFO", json: true},
		{name: "Text", env: map[string]string{format: "Text"}, level: "INFO"},
		{name: "invalid format", env: map[string]string{format: "yaml"}, level: "INFO", warnings: []string{format}},
		{name: "sample rate", env: map[string]string{rate: " 0.5 "}, level: "INFO", rate: 0.5},
		{name: "invalid sample rate", env: map[string]string{rate: "half"}, level: "INFO", warnings: []string{rate}},
		{name: "sample rate above 1", env: map[string]string{rate: "1.5"}, level: "INFO", warnings: []string{rate}},
		{name: "OTEL_SERVICE_NAME first", env: map[string]string{otelService: "otel", attrs: "service.name=attr", ptService: "pt"},
			level: "INFO", service: "otel"},
		{name: "service.name in OTEL_RESOURCE_ATTRIBUTES next", env: map[string]string{attrs: "team=a,service.name=attr", ptService: "pt"},
			level: "INFO", service: "attr"},
		{name: "POWERTOOLS_SERVICE_NAME last", env: map[string]string{attrs: "team=a", ptService: "pt"},
			level: "INFO", service: "pt"},
		{name: "function name and memory", env: map[string]string{fnName: "checkout", memory: "512"},
			level: "INFO", function: "checkout", memory: 512},
		{name: "invalid memory", env: map[string]string{memory: "1GB"}, level: "INFO", warnings: []string{memory}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := telemetry.ReadEnv(func(k string) string { return tt.env[k] })
			opts, warnings := env.LoggingOptions()
			var vars []string
			for _, w := range append(env.Warnings, warnings...) {
				var ve *telemetry.VarError
				require.True(t, errors.As(w, &ve), w)
				vars = append(vars, ve.Variable)
			}
			require.ElementsMatch(t, tt.warnings, vars)

			// The format, with the options as they are.
			var buf bytes.Buffer
			slog.New(logging.NewHandler(&buf, opts...)).Log(t.Context(), logging.LevelFatal, "hello")
			require.Equal(t, tt.json, strings.HasPrefix(buf.String(), "{"), buf.String())
			require.Equal(t, !tt.json, strings.HasPrefix(buf.String(), "timestamp="), buf.String())

			// The rest, read from JSON lines.
			buf.Reset()
			l := slog.New(logging.NewHandler(&buf, append(opts, logging.WithFormat(logging.FormatJSON))...))
			for _, lv := range []slog.Level{logging.LevelTrace, slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError, logging.LevelFatal} {
				l.Log(context.Background(), lv, "outside an invocation")
			}
			info := &invocation.Info{}
			info.Lambda.AwsRequestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
			l.Log(invocation.NewContext(context.Background(), info), logging.LevelFatal, "inside")

			var ms []map[string]any
			for line := range strings.Lines(buf.String()) {
				var m map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &m), line)
				ms = append(ms, m)
			}
			require.NotEmpty(t, ms)
			require.Equal(t, tt.level, ms[0][logging.LevelKey], "the lowest level written")
			for _, m := range ms {
				require.Equal(t, tt.service, str(m[logging.ServiceKey]), m)
				if tt.rate > 0 {
					require.InDelta(t, tt.rate, m[logging.SamplingRateKey], 0)
				} else {
					require.NotContains(t, m, logging.SamplingRateKey)
				}
			}
			inside := ms[len(ms)-1]
			require.Equal(t, info.Lambda.AwsRequestID, inside[logging.RequestIDKey])
			require.Equal(t, tt.function, str(inside[logging.FunctionNameKey]))
			if tt.memory > 0 {
				require.InDelta(t, tt.memory, inside[logging.FunctionMemorySizeKey], 0)
			} else {
				require.NotContains(t, inside, logging.FunctionMemorySizeKey)
			}
		})
	}
}

// str returns a string value, or "" for an absent one.
func str(v any) string {
	s, _ := v.(string)
	return s
}
