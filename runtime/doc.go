// Package runtime is Lumen's AWS Lambda runtime: a drop-in replacement for
// aws-lambda-go's lambda.Start that speaks the Lambda Runtime API itself.
//
// Moving a function to Lumen changes one import and one call:
//
//	lambda.Start(handler)   // before: github.com/aws/aws-lambda-go/lambda
//	runtime.Start(handler)  // after:  github.com/lumen-rt/lumen/runtime
//
// Every handler form aws-lambda-go accepts keeps working (see [Start]), as do
// lambdacontext.FromContext(ctx), the context deadline and the
// "x-amzn-trace-id" context value. On top of that the runtime:
//
//   - reports init failures (an invalid handler, a failing [WithSetup] hook) to
//     /runtime/init/error before exiting, instead of failing every invoke;
//   - sends a typed Lambda-Runtime-Function-Error-Type header and a size-capped
//     X-Ray error cause with every error;
//   - turns an oversized response into a Function.ResponseSizeTooLarge error
//     and keeps serving;
//   - streams io.Reader results with Lambda-Runtime-Function-Response-Mode:
//     streaming and reports mid-stream failures in HTTP trailers;
//   - runs AWS_LAMBDA_MAX_CONCURRENCY workers on one Runtime API client;
//   - calls every registered [Flusher] after posting each response and before
//     asking for the next event, under one bounded budget: the response is
//     already delivered, and nothing is left in memory when Lambda freezes the
//     process at the next GET.
//
// # The life of one invocation
//
//	GET /next ─► context (deadline, lambdacontext, trace header) ─► handler
//	          ─► POST /response | /error ─► flush (bounded) ─► GET /next …
//
// # Configuration
//
// Options given in code override environment variables, which override
// defaults. The environment variables read are AWS_LAMBDA_RUNTIME_API,
// AWS_LAMBDA_MAX_CONCURRENCY and LUMEN_FLUSH_BUDGET (a Go duration such as
// "750ms"); an invalid LUMEN_FLUSH_BUDGET is reported to
// /runtime/init/error as Runtime.InvalidConfiguration.
//
// For handler tests without Lambda, see package runtimetest, which provides a
// fake Runtime API; [Run] drives a handler against it without exiting the
// process.
package runtime
