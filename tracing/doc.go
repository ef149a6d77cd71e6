// Package tracing sets OpenTelemetry up for AWS Lambda.
//
// It owns what is specific to Lambda and leaves the rest to the OpenTelemetry
// SDK:
//
//   - the X-Ray trace header ([ParseHeader], [Header]): Root, Parent and
//     Sampled (0, 1 or ?) interpreted, every other key such as Lineage kept
//     verbatim and in order, and conversions to and from OpenTelemetry trace
//     and span ids;
//   - the xray and xray-lambda propagators ([XRay], [XRayLambda]), which,
//     unlike go.opentelemetry.io/contrib's, forward Lineage so that Lambda's
//     recursive-loop detection survives outgoing calls, selectable by name
//     through OTEL_PROPAGATORS ([PropagatorsFromEnv]);
//   - X-Ray-compatible trace ids ([IDGenerator]);
//   - trigger inference from the event's bytes ([Classify]): faas.trigger,
//     span kind and name, HTTP and messaging attributes, and span links from
//     SQS messages' AWSTraceHeader;
//   - the FaaS semantic-convention attributes of the invocation span
//     ([InvocationAttributes]) and of the resource ([Resource]);
//   - a tracer provider with all of the above ([NewTracerProvider]) and a
//     sampler that honours the header's decision unless OTEL_TRACES_SAMPLER
//     says otherwise ([Sampler]);
//   - the context plumbing the runtime needs to make the invocation span a
//     child of Lambda's segment ([ContextWithRemoteParent],
//     [ContextWithTraceHeader]).
//
// Nothing here knows the Runtime API: the runtime parses the
// Lambda-Runtime-Trace-Id header with [ParseHeader], classifies the payload
// once with [Classify] and starts the invocation span from the context
// [ContextWithRemoteParent] returns. Attribute names come from
// go.opentelemetry.io/otel/semconv/v1.43.0.
package tracing
