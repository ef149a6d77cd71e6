package telemetry

import (
	"errors"
	"strconv"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/tracing"
)

var errSamplerUnsupported = errors.New("ignored: Lumen has no remote sampler; the default applies")

// sampler returns the sampler OTEL_TRACES_SAMPLER and its argument name, or
// Lumen's default, which follows the X-Ray header's Sampled and samples
// invocations without a decision. A sampler set by name is the SDK's, as
// the specification defines it: parentbased_always_on, for instance, drops
// a span whose X-Ray header says Sampled=?.
func (e *Env) sampler() (sdktrace.Sampler, []error) {
	var warnings []error
	ratio := func() float64 {
		if e.SamplerArg == "" {
			return 1
		}
		f, err := strconv.ParseFloat(e.SamplerArg, 64)
		if err != nil || f < 0 || f > 1 {
			warnings = append(warnings, &VarError{Variable: EnvTracesSamplerArg, Value: e.SamplerArg,
				Err: errors.New("ignored: want a ratio from 0 to 1; 1 applies")})
			return 1
		}
		return f
	}
	switch e.Sampler {
	case "":
		return tracing.Sampler(nil), nil
	case "always_on":
		return sdktrace.AlwaysSample(), nil
	case "always_off":
		return sdktrace.NeverSample(), nil
	case "traceidratio":
		return sdktrace.TraceIDRatioBased(ratio()), warnings
	case "parentbased_always_on":
		return sdktrace.ParentBased(sdktrace.AlwaysSample()), nil
	case "parentbased_always_off":
		return sdktrace.ParentBased(sdktrace.NeverSample()), nil
	case "parentbased_traceidratio":
		return sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio())), warnings
	case "xray", "jaeger_remote", "parentbased_jaeger_remote":
		return tracing.Sampler(nil), []error{&VarError{Variable: EnvTracesSampler, Value: e.Sampler, Err: errSamplerUnsupported}}
	}
	return tracing.Sampler(nil), []error{&VarError{Variable: EnvTracesSampler, Value: e.Sampler, Err: errUnknownEnum}}
}

// spanLimits returns the SDK's defaults with the variables that are set.
// The general attribute limits apply where the span-specific ones are
// unset, as the specification says.
func (e *Env) spanLimits() sdktrace.SpanLimits {
	l := sdktrace.SpanLimits{
		AttributeValueLengthLimit:   sdktrace.DefaultAttributeValueLengthLimit,
		AttributeCountLimit:         sdktrace.DefaultAttributeCountLimit,
		EventCountLimit:             sdktrace.DefaultEventCountLimit,
		LinkCountLimit:              sdktrace.DefaultLinkCountLimit,
		AttributePerEventCountLimit: sdktrace.DefaultAttributePerEventCountLimit,
		AttributePerLinkCountLimit:  sdktrace.DefaultAttributePerLinkCountLimit,
	}
	set := func(dst *int, vals ...int) {
		for _, v := range vals {
			if v > 0 {
				*dst = v
				return
			}
		}
	}
	set(&l.AttributeValueLengthLimit, e.Limits.SpanAttributeValueLength, e.Limits.AttributeValueLength)
	set(&l.AttributeCountLimit, e.Limits.SpanAttributeCount, e.Limits.AttributeCount)
	set(&l.EventCountLimit, e.Limits.SpanEventCount)
	set(&l.LinkCountLimit, e.Limits.SpanLinkCount)
	set(&l.AttributePerEventCountLimit, e.Limits.EventAttributeCount)
	set(&l.AttributePerLinkCountLimit, e.Limits.LinkAttributeCount)
	return l
}
