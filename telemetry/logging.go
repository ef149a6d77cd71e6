package telemetry

import (
	"github.com/lumen-rt/lumen/logging"
)

// LoggingOptions returns the options that give a logging handler Lambda's
// log controls as this environment sets them: AWS_LAMBDA_LOG_FORMAT,
// AWS_LAMBDA_LOG_LEVEL (else POWERTOOLS_LOG_LEVEL),
// POWERTOOLS_LOGGER_SAMPLE_RATE, the function's name and memory size.
// Values the logging package cannot parse are left out and reported in the
// second result, as warnings.
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
	opts = append(opts, logging.WithFunctionName(e.Lambda.FunctionName))
	if e.Lambda.MemoryMB > 0 {
		opts = append(opts, logging.WithFunctionMemorySize(e.Lambda.MemoryMB))
	}
	return opts, warnings
}
