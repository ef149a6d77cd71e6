package logging

import (
	"context"
	"log/slog"
)

// config is the resolved, immutable configuration shared by a handler and all
// of its clones.
type config struct {
	format          Format
	level           slog.Leveler
	sampleRate      float64
	redactKeys      []string
	noDefaultRedact bool
	service         string
	functionName    string
	memoryMB        int
	memorySet       bool
	replaceAttr     func([]string, slog.Attr) slog.Attr
	redact          *redactor
	stamp           stamp
}

// newConfig applies opts, in order, over the defaults: Text format (Lambda's
// own when AWS_LAMBDA_LOG_FORMAT is unset), INFO, no debug sampling, no
// service, function name or memory size, [DefaultRedactKeys] redacted. It
// reads no environment variable: the telemetry package turns them into
// options.
func newConfig(opts []Option) *config {
	c := &config{format: FormatText, level: slog.LevelInfo}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	if c.level == nil {
		c.level = slog.LevelInfo
	}
	keys := c.redactKeys
	if !c.noDefaultRedact {
		keys = append(defaultRedactKeys[:len(defaultRedactKeys):len(defaultRedactKeys)], keys...)
	}
	c.redact = newRedactor(keys)
	return c
}

// enabled reports whether a record at level l is written: l is at least the
// minimum level, or the invocation of the line (see sampleID) is sampled for
// debug logging and l is at least DEBUG.
func (c *config) enabled(ctx context.Context, l slog.Level) bool {
	if l >= c.level.Level() {
		return true
	}
	return l >= slog.LevelDebug && c.sampleRate > 0 && Sampled(sampleID(ctx), c.sampleRate)
}
