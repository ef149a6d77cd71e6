// Package tracing sets OpenTelemetry up for AWS Lambda.
//
// It owns what is specific to Lambda and leaves the rest to the OpenTelemetry
// SDK:
//
//   - the xray and xray-lambda propagators ([XRay], [XRayLambda]), which,
//     unlike go.opentelemetry.io/contrib's, forward Lineage so that Lambda's
//     recursive-loop detection survives outgoing calls, selectable by name
//     through OTEL_PROPAGATORS ([PropagatorsFromEnv]);
//   - X-Ray-compatible trace ids ([IDGenerator]);
//   - the FaaS semantic-convention attributes of the invocation span
//     ([InvocationAttributes]) and of the resource ([Resource]);
//   - a tracer provider with all of the above ([NewTracerProvider]) and a
//     sampler that honours the header's decision unless OTEL_TRACES_SAMPLER
//     says otherwise ([Sampler]);
//   - a span processor that exports only at the runtime's flush point, with
//     no goroutine or timer and a bounded buffer ([NewFlushProcessor]);
//   - the context plumbing the runtime needs to make the invocation span a
//     child of Lambda's segment ([ContextWithRemoteParent],
//     [ContextWithTraceHeader]).
//
// The X-Ray trace header and the trigger inferred from the event are facts
// about the invocation: package invocation parses and classifies them (the
// names this package used to hold remain as deprecated aliases). Nothing
// here knows the Runtime API: the runtime parses the Lambda-Runtime-Trace-Id
// header and classifies the payload once, then starts the invocation span
// from the context [ContextWithRemoteParent] returns. Attribute names come from
// go.opentelemetry.io/otel/semconv/v1.43.0.
package tracing
