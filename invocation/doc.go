// Package invocation carries what Lumen knows about the invocation in flight
// through a context.Context.
//
// The runtime stores one [Info] per invocation in the handler's context. The
// leaf packages (tracing, metrics, logging) and user code read it with
// [FromContext] without importing the runtime: the request id, the invoked
// ARN, the raw X-Ray trace header, the deadline and whether the invocation is
// a cold start.
//
// aws-lambda-go's lambdacontext.FromContext keeps working alongside it; Info
// holds the same LambdaContext value the runtime stores there.
package invocation
