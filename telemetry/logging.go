package telemetry

import (
	"fmt"

	"github.com/lumen-rt/lumen/logging"
)

// LoggingOptions returns the options that give a logging handler Lambda's
// log controls as this environment sets them: AWS_LAMBDA_LOG_FORMAT;
// AWS_LAMBDA_LOG_LEVEL, else POWERTOOLS_LOG_LEVEL (Powertools' precedence);
// POWERTOOLS_LOGGER_SAMPLE_RATE; the service of [Env.Service] as
// Powertools' "service" key; the function's name and memory size. Values the
// logging package cannot parse are left out and reported in the second
// result, as warnings, and so is a POWERTOOLS_LOG_LEVEL that
// AWS_LAMBDA_LOG_LEVEL overrides.
func (e *Env) LoggingOptions() ([]logging.Option, []error) {
	var (
		opts     []logging.Option
		warnings []error
	)
	if v := e.Lambda.LogFormat; v != "" {
		if f, err := logging.ParseFormat(v); err != nil {
			warnings = append(warnings, &VarError{Variable: EnvLogFormat, Value: v, Err: err})
		} else {
			opts = append(opts, logging.WithFormat(f))
		}
	}
	name, v := EnvLogLevel, e.Lambda.LogLevel
	if v == "" {
		name, v = EnvPowertoolsLogLevel, e.Powertools.LogLevel
	} else if pt := e.Powertools.LogLevel; pt != "" && !sameLevel(pt, v) {
		warnings = append(warnings, &VarError{Variable: EnvPowertoolsLogLevel, Value: pt,
			Err: fmt.Errorf("ignored: %s takes precedence", EnvLogLevel)})
	}
	if v != "" {
		if l, err := logging.ParseLevel(v); err != nil {
			warnings = append(warnings, &VarError{Variable: name, Value: v, Err: err})
		} else {
			opts = append(opts, logging.WithLevel(l))
		}
	}
	if e.Powertools.SampleRateSet {
		opts = append(opts, logging.WithSampleRate(e.Powertools.LoggerSampleRate))
	}
	if s := e.Service(); s != "" {
		opts = append(opts, logging.WithService(s))
	}
	if e.Lambda.FunctionName != "" {
		opts = append(opts, logging.WithFunctionName(e.Lambda.FunctionName))
	}
	if e.Lambda.MemoryMB > 0 {
		opts = append(opts, logging.WithFunctionMemorySize(e.Lambda.MemoryMB))
	}
	return opts, warnings
}

// sameLevel reports whether two level names parse to the same level.
func sameLevel(a, b string) bool {
	la, errA := logging.ParseLevel(a)
	lb, errB := logging.ParseLevel(b)
	return errA == nil && errB == nil && la == lb
}
