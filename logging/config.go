package logging

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// config is the resolved, immutable configuration shared by a handler and all
// of its clones.
type config struct {
	format          Format
	formatSet       bool
	level           slog.Leveler
	sampleRate      float64
	sampleRateSet   bool
	redactKeys      []string
	noDefaultRedact bool
	functionName    string
	functionNameSet bool
	memoryMB        int
	memorySet       bool
	replaceAttr     func([]string, slog.Attr) slog.Attr
	onConfigError   func(error)
	redact          *redactor
	stamp           stamp
}

// newConfig applies opts, then the environment read through getenv, and
// returns the configuration with the errors of the variables it ignored.
func newConfig(getenv func(string) string, opts []Option) (*config, []error) {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	errs := c.resolve(getenv)
	keys := c.redactKeys
	if !c.noDefaultRedact {
		keys = append(defaultRedactKeys[:len(defaultRedactKeys):len(defaultRedactKeys)], keys...)
	}
	c.redact = newRedactor(keys)
	return c, errs
}

// enabled reports whether a record at level l is written: l is at least the
// minimum level, or the invocation in ctx is sampled for debug logging and l
// is at least DEBUG.
func (c *config) enabled(ctx context.Context, l slog.Level) bool {
	if l >= c.level.Level() {
		return true
	}
	return l >= slog.LevelDebug && c.sampleRate > 0 && Sampled(requestID(ctx), c.sampleRate)
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
