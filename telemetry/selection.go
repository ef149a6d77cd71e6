package telemetry

import (
	"errors"
	"slices"
)

// The exporter names every signal knows.
const (
	ExporterNone    = "none"
	ExporterOTLP    = "otlp"
	ExporterConsole = "console"
	ExporterXRay    = "xray"
	ExporterEMF     = "emf"
)

var errNoneWithOthers = errors.New(`"none" is ignored next to other exporters`)

// selection reads an exporter list, or returns def when the variable is
// unset. "none" alone selects nothing; next to other names it is ignored,
// with a warning.
func (r *reader) selection(name string, def []string) []string {
	names := r.names(name)
	if names == nil {
		return def
	}
	if i := slices.Index(names, ExporterNone); i >= 0 {
		if len(names) > 1 {
			r.warn(name, r.get(name), errNoneWithOthers)
		}
		names = slices.Delete(names, i, i+1)
	}
	return names
}

// traceDefault: OTLP when an OTLP traces endpoint is configured, else the
// X-Ray daemon when Lambda runs one (active tracing), else nothing.
func (e *Env) traceDefault() []string {
	switch {
	case e.OTLP.Traces.Configured():
		return []string{ExporterOTLP}
	case e.Lambda.XRayDaemonAddress != "":
		return []string{ExporterXRay}
	}
	return nil
}

// metricsDefault: OTLP when an OTLP metrics endpoint is configured, else
// CloudWatch EMF on stdout, which needs nothing but Lambda.
func (e *Env) metricsDefault() []string {
	if e.OTLP.Metrics.Configured() {
		return []string{ExporterOTLP}
	}
	return []string{ExporterEMF}
}

// logsDefault: OTLP when an OTLP logs endpoint is configured, besides the
// Lambda log handler on stdout, which is always on.
func (e *Env) logsDefault() []string {
	if e.OTLP.Logs.Configured() {
		return []string{ExporterOTLP}
	}
	return []string{ExporterConsole}
}
