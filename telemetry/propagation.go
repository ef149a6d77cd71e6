package telemetry

import (
	"fmt"
	"slices"

	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/contrib/propagators/jaeger"
	"go.opentelemetry.io/contrib/propagators/ot"
	"go.opentelemetry.io/otel/propagation"

	"github.com/lumen-rt/lumen/tracing"
)

// propagator returns the composite of the propagators names lists, in
// order: every name of the OpenTelemetry specification (tracecontext,
// baggage, b3, b3multi, jaeger, xray, ottrace, none) plus xray-lambda.
// Unknown names are warned about and skipped, as the specification asks;
// with none left, the default applies. With no names, the default is
// tracecontext,baggage, plus xray when spans go to X-Ray.
func (e *Env) propagator(toXRay bool) (propagation.TextMapPropagator, []error) {
	names := e.Propagators
	if names == nil {
		names = []string{"tracecontext", "baggage"}
		if toXRay {
			names = append(names, tracing.PropagatorXRay)
		}
	}
	var (
		props    []propagation.TextMapPropagator
		warnings []error
		known    []string
	)
	for _, n := range names {
		switch n {
		case "b3":
			props = append(props, b3.New(b3.WithInjectEncoding(b3.B3SingleHeader)))
		case "b3multi":
			props = append(props, b3.New(b3.WithInjectEncoding(b3.B3MultipleHeader)))
		case "jaeger":
			props = append(props, jaeger.Jaeger{})
		case "ottrace":
			props = append(props, ot.OT{})
		case "none":
			if len(names) > 1 {
				warnings = append(warnings, &VarError{Variable: EnvPropagators, Value: n, Err: errNoneWithOthers})
			}
		default:
			// tracecontext, baggage, xray and xray-lambda are tracing's.
			p, err := tracing.Propagators(n)
			if err != nil {
				warnings = append(warnings, &VarError{Variable: EnvPropagators, Value: n, Err: fmt.Errorf("ignored: %w", err)})
				continue
			}
			known = append(known, n)
			props = append(props, p)
		}
	}
	if slices.Contains(known, tracing.PropagatorXRay) && slices.Contains(known, tracing.PropagatorXRayLambda) {
		warnings = append(warnings, &VarError{Variable: EnvPropagators, Value: "xray,xray-lambda", Err: tracing.ErrXRayConflict})
	}
	if len(props) == 0 && !(len(names) == 1 && names[0] == "none") {
		return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}), warnings
	}
	return propagation.NewCompositeTextMapPropagator(props...), warnings
}
