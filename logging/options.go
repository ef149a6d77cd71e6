package logging

import (
	"log/slog"
)

// Names of the environment variables that configure the handler. The
// handler does not read them: the telemetry package reads every variable
// once and passes their values as options (telemetry.Env.LoggingOptions).
const (
	// EnvLogFormat is Lambda's log format variable.
	//
	// Deprecated: use telemetry.EnvLogFormat, and [WithFormat].
	EnvLogFormat = "AWS_LAMBDA_LOG_FORMAT"
	// EnvLogLevel is Lambda's log level variable.
	//
	// Deprecated: use telemetry.EnvLogLevel, and [WithLevel].
	EnvLogLevel = "AWS_LAMBDA_LOG_LEVEL"
	// EnvSampleRate is Powertools' debug sampling rate variable.
	//
	// Deprecated: use telemetry.EnvPowertoolsLoggerSampleRate, and
	// [WithSampleRate].
	EnvSampleRate = "POWERTOOLS_LOGGER_SAMPLE_RATE"
	// EnvFunctionName is set by Lambda to the function's name.
	//
	// Deprecated: use telemetry.EnvFunctionName, and [WithFunctionName].
	EnvFunctionName = "AWS_LAMBDA_FUNCTION_NAME"
	// EnvFunctionMemorySize is set by Lambda to the function's memory in MB.
	//
	// Deprecated: use telemetry.EnvFunctionMemorySize, and
	// [WithFunctionMemorySize].
	EnvFunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
)

// Option configures NewHandler, Wrap, Default and Install. Options apply in
// order, so a later option overrides an earlier one; what no option sets keeps
// its default. The set of options is closed: only this package can implement
// Option.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithFormat sets the output format (telemetry passes AWS_LAMBDA_LOG_FORMAT).
// Default: FormatText, Lambda's own when AWS_LAMBDA_LOG_FORMAT is unset.
func WithFormat(f Format) Option {
	return optionFunc(func(c *config) { c.format = f })
}

// WithLevel sets the minimum level (telemetry passes AWS_LAMBDA_LOG_LEVEL,
// else POWERTOOLS_LOG_LEVEL). A *slog.LevelVar gives a level that can change
// at run time. Default: slog.LevelInfo.
func WithLevel(l slog.Leveler) Option {
	return optionFunc(func(c *config) { c.level = l })
}

// WithSampleRate sets the share of invocations, in [0, 1], whose lines are
// logged down to DEBUG whatever the minimum level (see the package doc,
// "Debug sampling"). Values outside [0, 1] are clamped, NaN is 0 (telemetry
// passes POWERTOOLS_LOGGER_SAMPLE_RATE). Default: 0, off.
func WithSampleRate(rate float64) Option {
	return optionFunc(func(c *config) { c.sampleRate = clampRate(rate) })
}

// WithRedactKeys adds key words to redact: the value of every attribute
// whose key ends with one of them, ignoring ASCII case and the separators
// '-', '_', '.' and ' ', is replaced with [RedactedValue], at any group depth
// and in attributes added with WithAttrs. A group whose key matches is
// redacted whole, and so is every attribute logged inside a WithGroup whose
// name matches. Map keys and struct fields inside a single value are not
// inspected. Calling it again adds words.
// Default: [DefaultRedactKeys] (password, secret, token, authorization, …),
// unless [WithoutDefaultRedaction] is given.
func WithRedactKeys(keys ...string) Option {
	return optionFunc(func(c *config) { c.redactKeys = append(c.redactKeys, keys...) })
}

// WithoutDefaultRedaction drops [DefaultRedactKeys]; only the words given to
// [WithRedactKeys], if any, are redacted.
func WithoutDefaultRedaction() Option {
	return optionFunc(func(c *config) { c.noDefaultRedact = true })
}

// WithService sets Powertools' [ServiceKey] field, written on every line,
// inside an invocation or not (telemetry passes OTEL_SERVICE_NAME, else
// service.name in OTEL_RESOURCE_ATTRIBUTES, else POWERTOOLS_SERVICE_NAME).
// [Wrap] ignores it: an OpenTelemetry destination has the service in its
// resource. Default: "", no service field.
func WithService(name string) Option {
	return optionFunc(func(c *config) { c.service = name })
}

// WithFunctionName sets the function_name field of lines written inside an
// invocation (telemetry passes AWS_LAMBDA_FUNCTION_NAME). Default: "",
// absent.
func WithFunctionName(name string) Option {
	return optionFunc(func(c *config) { c.functionName = name })
}

// WithFunctionMemorySize sets the function_memory_size field of lines
// written inside an invocation, in MB (telemetry passes
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE). Default: absent.
func WithFunctionMemorySize(mb int) Option {
	return optionFunc(func(c *config) { c.memoryMB, c.memorySet = mb, true })
}

// WithReplaceAttr adds a slog.HandlerOptions.ReplaceAttr-style hook, called
// after the handler has renamed the built-in keys, so it sees TimestampKey,
// LevelKey and MessageKey (with string values) at the top level. Context fields
// are passed through it too. Tests and examples use it to pin the timestamp.
// Default: none.
func WithReplaceAttr(f func(groups []string, a slog.Attr) slog.Attr) Option {
	return optionFunc(func(c *config) { c.replaceAttr = f })
}

// WithConfigErrorHandler used to receive the errors of the environment
// variables the handler could not parse. The handler reads no variable any
// more, so f is never called.
//
// Deprecated: telemetry.ReadEnv and telemetry.Env.LoggingOptions report
// invalid values as warnings; the telemetry pipeline logs them once.
func WithConfigErrorHandler(func(error)) Option {
	return optionFunc(func(*config) {})
}
