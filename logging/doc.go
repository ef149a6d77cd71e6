// Package logging provides a [log/slog] handler for AWS Lambda: lines in the
// shape Lambda's advanced logging controls, CloudWatch Logs Insights and
// Powertools users expect, stamped with the request id and trace ids of the
// invocation in flight.
//
// # Output
//
// [NewHandler] writes one line per record through slog's own JSONHandler or
// TextHandler, so values are encoded exactly as slog encodes them. The
// built-in keys are renamed to Lambda's: "timestamp" (RFC 3339, UTC,
// milliseconds), "level" (TRACE, DEBUG, INFO, WARN, ERROR or FATAL, see
// [LevelName]) and "message":
//
//	{"timestamp":"2024-05-01T12:00:00.000Z","level":"INFO","message":"charged","requestId":"8476a536-…","function_request_id":"8476a536-…","cold_start":true,"function_name":"checkout","function_memory_size":512,"function_arn":"arn:aws:lambda:…","xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793","trace_id":"5759e988bd862e3fe1be46a994272793","span_id":"53995c3f42cd8ad8","amount":42}
//
// # Correlation fields
//
// The handler reads the context passed to Handle (use slog.InfoContext and
// friends). From the invocation, as stored by Lumen's runtime in an
// [invocation.Info] or, failing that, by any runtime in aws-lambda-go's
// lambdacontext (with its "x-amzn-trace-id" context value), it writes
// [RequestIDKey], [FunctionRequestIDKey], [ColdStartKey] (Info only),
// [FunctionNameKey], [FunctionMemorySizeKey], [FunctionARNKey],
// [XRayTraceIDKey] (the Root part of the trace header) and [TenantIDKey]
// (tenant-isolated functions only). From the current OpenTelemetry span
// ([go.opentelemetry.io/otel/trace.SpanContextFromContext]) it writes
// [TraceIDKey] and [SpanIDKey]. Outside an invocation, for example during
// init, these fields are absent; they are never inferred from the process
// environment (_X_AMZN_TRACE_ID is wrong as soon as invocations run
// concurrently). The fields are always at the top level of the line, also
// from a logger with a group open (WithGroup).
//
// # Configuration
//
// Options take precedence over the environment, the environment over the
// defaults; each option documents its variable and default. The environment
// is read once, in NewHandler:
//
//   - AWS_LAMBDA_LOG_FORMAT: JSON or Text, case-insensitive; default Text.
//   - AWS_LAMBDA_LOG_LEVEL: TRACE, DEBUG, INFO, WARN, ERROR or FATAL,
//     case-insensitive; default INFO. TRACE and FATAL are [LevelTrace] and
//     [LevelFatal].
//   - POWERTOOLS_LOGGER_SAMPLE_RATE: debug sampling rate in [0, 1]; default 0.
//   - AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: the
//     function_name and function_memory_size fields.
//
// An unparsable variable is ignored and reported (see
// [WithConfigErrorHandler]).
//
// # Debug sampling
//
// With a sampling rate r > 0, a share r of invocations is logged down to
// DEBUG even when the minimum level is higher, and every line carries
// [SamplingRateKey]. The decision is a hash of the request id: it is made
// once per invocation in effect, every line of a sampled invocation is
// logged, and every process and handler clone agrees on it. Lines outside an
// invocation are never sampled.
//
// # Safety
//
// Lumen never logs event payloads, responses, headers or environment
// variables; what reaches the log is what the function logs. In Text format
// every value and key containing spaces, quotes, newlines or other control
// or non-printing characters is quoted with Go escapes by slog's
// TextHandler, so a value cannot start a forged line; JSON escapes them too.
// [WithRedactKeys] replaces the values of chosen keys (for example
// "authorization" or "password") with "[REDACTED]" wherever they appear.
//
// # Performance
//
// Handle allocates little: the context fields are gathered on the stack and
// handed to slog in one new record; the trace and span ids share one string
// and the timestamp is one more. A logger with a group open caches a prepared
// handler per invocation and span. Enabled costs one level comparison unless
// sampling is on.
package logging
