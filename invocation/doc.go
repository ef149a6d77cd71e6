// Package invocation holds what Lumen knows about the invocation in flight,
// and carries it through a context.Context.
//
// The runtime stores one [Info] per invocation in the handler's context. The
// leaf packages (tracing, metrics, logging, the exporters) and user code
// read it with [FromContext] without importing the runtime: the request id,
// the invoked ARN, the deadline, whether the invocation is a cold start, the
// X-Ray trace header — raw, and parsed once by the runtime ([XRayHeader],
// [XRayFromContext]) — and the event's trigger.
//
// The trigger is inferred from the event's bytes by [Classify]: one
// [Trigger] type (the faas.trigger value, which metrics use as a label and
// tracing as an attribute), the event's [Source], the span kind and name the
// FaaS semantic conventions prescribe, HTTP and messaging attributes, and
// span links from SQS messages' AWSTraceHeader.
//
// aws-lambda-go's lambdacontext.FromContext keeps working alongside it; Info
// holds the same LambdaContext value the runtime stores there.
package invocation
