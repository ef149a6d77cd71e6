package logging

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
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

// WithRedactKeys replaces the value of every attribute whose key equals one of
// keys (ASCII case-insensitively, at any group depth, including whole groups)
// with "[REDACTED]". Calling it again adds keys.
// Default: nothing is redacted. Lumen itself never logs event payloads,
// responses or environment variables, so redaction only concerns what the
// function logs.
func WithRedactKeys(keys ...string) Option {
	return optionFunc(func(c *config) { c.redactKeys = append(c.redactKeys, keys...) })
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

// config is the resolved, immutable configuration shared by a handler and all
// of its clones.
type config struct {
	format          Format
	formatSet       bool
	level           slog.Leveler
	sampleRate      float64
	sampleRateSet   bool
	redactKeys      []string
	functionName    string
	functionNameSet bool
	memoryMB        int
	memorySet       bool
	replaceAttr     func([]string, slog.Attr) slog.Attr
	onConfigError   func(error)
	redact          *redactor
}

// resolve fills what no option set from the environment and returns the
// errors of the variables it could not parse.
func (c *config) resolve(getenv func(string) string) []error {
	var errs []error
	if !c.formatSet {
		if v := getenv(EnvLogFormat); v != "" {
			f, err := ParseFormat(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s ignored: %w", EnvLogFormat, err))
			} else {
				c.format = f
			}
		}
	}
	if c.level == nil {
		c.level = slog.LevelInfo
		if v := getenv(EnvLogLevel); v != "" {
			l, err := ParseLevel(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s ignored: %w", EnvLogLevel, err))
			} else {
				c.level = l
			}
		}
	}
	if !c.sampleRateSet {
		if v := getenv(EnvSampleRate); v != "" {
			r, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s ignored: %w", EnvSampleRate, err))
			} else {
				c.sampleRate = clampRate(r)
			}
		}
	}
	if !c.functionNameSet {
		c.functionName = getenv(EnvFunctionName)
	}
	if !c.memorySet {
		if v := getenv(EnvFunctionMemorySize); v != "" {
			mb, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				errs = append(errs, fmt.Errorf("%s ignored: %w", EnvFunctionMemorySize, err))
			} else {
				c.memoryMB, c.memorySet = mb, true
			}
		}
	}
	return errs
}
