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
// # Telemetry
//
// [Start] needs no configuration to be observable. Unless [WithoutTelemetry]
// is given, it builds from the environment what the options do not bring:
//
//   - a tracer provider ([WithTracerProvider]) exporting to
//     OTEL_TRACES_EXPORTER (xray, console, none, or otlp once
//     github.com/lumen-rt/lumen/exporters/otlp is imported); when unset, to
//     the X-Ray daemon if AWS_XRAY_DAEMON_ADDRESS is set (Lambda's active
//     tracing), to OTLP if an OTLP endpoint is set, and nowhere otherwise, in
//     which case no spans are made at all. OTEL_PROPAGATORS and
//     OTEL_TRACES_SAMPLER apply; it becomes OpenTelemetry's global provider;
//   - a metrics recorder ([WithMetrics]) delivered by LUMEN_METRICS_EXPORTER
//     ([EnvMetricsExporter]): emf by default, prometheus, none, or a
//     registered exporter (pushgateway, remotewrite, otlp);
//   - Lumen's Lambda log handler (package logging) as slog's default,
//     honouring AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL, teed to
//     OTEL_LOGS_EXPORTER when set ([WithoutDefaultLogger] keeps yours).
//
// Every exporter is flushed at the flush point, after each invocation or as
// LUMEN_FLUSH_STRATEGY says ("end", "periodic,<ms>" or "adaptive", see
// [FlushStrategy]), and shut down on SIGTERM. A
// setting that cannot be honoured (an unknown exporter, one whose package is
// not imported) is an init error, Runtime.InvalidConfiguration, naming the
// fix. [Run] builds nothing: it records exactly what its options say.
//
// # Configuration
//
// Options given in code override environment variables, which override
// defaults. Besides the telemetry variables above, the runtime reads
// AWS_LAMBDA_RUNTIME_API, AWS_LAMBDA_MAX_CONCURRENCY and LUMEN_FLUSH_BUDGET
// (a Go duration such as "750ms"); an invalid LUMEN_FLUSH_BUDGET is reported
// to /runtime/init/error as Runtime.InvalidConfiguration.
//
// For handler tests without Lambda, see package runtimetest, which provides a
// fake Runtime API; [Run] drives a handler against it without exiting the
// process.
package runtime
