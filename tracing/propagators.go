package tracing

import (
	"errors"
	"strings"

	"go.opentelemetry.io/otel/propagation"
)

// EnvPropagators is the standard variable that selects propagators by name.
//
// Deprecated: the telemetry package reads it (telemetry.EnvPropagators) and
// builds the propagators it names, b3, jaeger and ottrace included.
const EnvPropagators = "OTEL_PROPAGATORS"

// ErrUnknownPropagator is matched by the [*UnknownPropagatorError] that
// [Propagators] and [PropagatorsFromEnv] return for names they do not know.
var ErrUnknownPropagator = errors.New("unknown propagator")

// ErrXRayConflict reports xray and xray-lambda named together. The semantic
// conventions forbid it: xray extracts first, so xray-lambda sees a parent
// and skips the Lambda trace header. Both are kept as named; drop xray.
var ErrXRayConflict = errors.New("tracing: xray-lambda replaces xray; name only one of them")

// UnknownPropagatorError lists the propagator names that were ignored.
type UnknownPropagatorError struct {
	// Names are the unknown names, in the order given.
	Names []string
}

// Error implements error.
func (e *UnknownPropagatorError) Error() string {
	return "tracing: " + ErrUnknownPropagator.Error() + " " + strings.Join(e.Names, ", ") +
		" (known: tracecontext, baggage, xray, xray-lambda, none)"
}

// Unwrap returns [ErrUnknownPropagator].
func (e *UnknownPropagatorError) Unwrap() error { return ErrUnknownPropagator }

// Propagators returns the composite of the named propagators, in order:
//
//	tracecontext  W3C Trace Context (propagation.TraceContext)
//	baggage       W3C Baggage (propagation.Baggage)
//	xray          X-Amzn-Trace-Id, keeping Lineage ([XRay])
//	xray-lambda   xray plus the Lambda trace header ([XRayLambda])
//	none          no propagation; only meaningful alone
//
// Names are trimmed and matched case-insensitively; empty names and
// duplicates are skipped. Unknown names (b3, jaeger, ottrace, …) are left
// out of the result and reported in a [*UnknownPropagatorError]; the
// returned propagator is always usable. If no known name remains, it is the
// default tracecontext,baggage, so a typo never silently disables
// propagation. With no names at all, the default is returned too. Naming
// both xray and xray-lambda is reported with [ErrXRayConflict].
func Propagators(names ...string) (propagation.TextMapPropagator, error) {
	var (
		props   []propagation.TextMapPropagator
		seen    = make(map[string]bool, len(names))
		unknown []string
		none    bool
	)
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		switch n {
		case "tracecontext":
			props = append(props, propagation.TraceContext{})
		case "baggage":
			props = append(props, propagation.Baggage{})
		case PropagatorXRay:
			props = append(props, XRay{})
		case PropagatorXRayLambda:
			props = append(props, XRayLambda{})
		case "none":
			none = true
		default:
			unknown = append(unknown, n)
		}
	}
	var err error
	if len(unknown) > 0 {
		err = &UnknownPropagatorError{Names: unknown}
	}
	if seen[PropagatorXRay] && seen[PropagatorXRayLambda] {
		err = errors.Join(err, ErrXRayConflict)
	}
	switch {
	case len(props) > 0:
		return propagation.NewCompositeTextMapPropagator(props...), err
	case none:
		return propagation.NewCompositeTextMapPropagator(), err
	default:
		return defaultPropagator(), err
	}
}

func defaultPropagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}
