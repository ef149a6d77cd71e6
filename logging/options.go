package logging

import (
	"log/slog"
)

// Environment variables the handler reads once, in NewHandler.
const (
	// EnvLogFormat selects JSON or Text ([ParseFormat]).
	EnvLogFormat = "AWS_LAMBDA_LOG_FORMAT"
	// EnvLogLevel selects the minimum level ([ParseLevel]).
	EnvLogLevel = "AWS_LAMBDA_LOG_LEVEL"
	// EnvSampleRate is Powertools' debug sampling rate, a number in [0, 1].
	EnvSampleRate = "POWERTOOLS_LOGGER_SAMPLE_RATE"
	// EnvFunctionName is set by Lambda to the function's name.
	EnvFunctionName = "AWS_LAMBDA_FUNCTION_NAME"
	// EnvFunctionMemorySize is set by Lambda to the function's memory in MB.
	EnvFunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
)

// Option configures NewHandler. Options take precedence over the environment,
// which takes precedence over the defaults. The set of options is closed: only
// this package can implement Option.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithFormat sets the output format.
// Precedence: this option, then AWS_LAMBDA_LOG_FORMAT, then FormatText
// (Lambda's own default).
func WithFormat(f Format) Option {
	return optionFunc(func(c *config) { c.format, c.formatSet = f, true })
}

// WithLevel sets the minimum level. A *slog.LevelVar gives a level that can
// change at run time.
// Precedence: this option, then AWS_LAMBDA_LOG_LEVEL, then slog.LevelInfo.
func WithLevel(l slog.Leveler) Option {
	return optionFunc(func(c *config) { c.level = l })
}

// WithSampleRate sets the share of invocations, in [0, 1], whose lines are
// logged down to DEBUG whatever the minimum level (see the package doc,
// "Debug sampling"). Values outside [0, 1] are clamped.
// Precedence: this option, then POWERTOOLS_LOGGER_SAMPLE_RATE, then 0 (off).
func WithSampleRate(rate float64) Option {
	return optionFunc(func(c *config) { c.sampleRate, c.sampleRateSet = clampRate(rate), true })
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

// WithFunctionName sets the function_name field.
// Precedence: this option, then AWS_LAMBDA_FUNCTION_NAME, then absent.
func WithFunctionName(name string) Option {
	return optionFunc(func(c *config) { c.functionName, c.functionNameSet = name, true })
}

// WithFunctionMemorySize sets the function_memory_size field, in MB.
// Precedence: this option, then AWS_LAMBDA_FUNCTION_MEMORY_SIZE, then absent.
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

// WithConfigErrorHandler sets the function that receives one error, wrapping
// the parse failure, for each environment variable NewHandler cannot parse;
// the variable is then ignored. Default: the handler logs each error as a
// WARN line through itself, without invocation fields.
func WithConfigErrorHandler(f func(error)) Option {
	return optionFunc(func(c *config) { c.onConfigError = f })
}
