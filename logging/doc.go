// Package logging provides a [log/slog] handler for AWS Lambda: lines in the
// shape Lambda's advanced logging controls, CloudWatch Logs Insights and
// Powertools users expect, stamped with the request id and trace ids of the
// invocation in flight.
//
// # Output
//
// [NewHandler] writes one line per record through slog's own JSONHandler or
// TextHandler, so values are encoded exactly as slog encodes them. The
// built-in keys are renamed to Lambda's: "timestamp" (RFC 3339 in UTC with
// exactly three fractional digits, as Lambda writes it), "level"
// (TRACE, DEBUG, INFO, WARN, ERROR or FATAL, see [LevelName]) and "message".
// The correlation fields come next, then the logger's attributes:
//
//	{"timestamp":"2024-05-01T12:00:00.123Z","level":"INFO","message":"charged","requestId":"8476a536-…","function_request_id":"8476a536-…","cold_start":true,"function_name":"checkout","function_memory_size":512,"function_arn":"arn:aws:lambda:…","xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793","trace_id":"5759e988bd862e3fe1be46a994272793","span_id":"53995c3f42cd8ad8","amount":42}
//
// # Installing it
//
// [Default] builds a logger on os.Stdout from the environment; [Install]
// also makes it slog's default (and so the standard log package's output).
// Lumen's runtime calls Install at start-up unless the function opts out,
// and uses Default for its own messages. [Wrap] applies the same level,
// sampling and redaction to another handler, such as the OpenTelemetry slog
// bridge teed with NewHandler through slog.NewMultiHandler. [Err] writes an
// error as Lambda's errorType and errorMessage fields.
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
//     Lumen reads Powertools' variable rather than one of its own, so a
//     function moved from Powertools keeps its configuration.
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
// logged, and every process and handler clone agrees on it ([Sampled] is the
// decision). Lines outside an invocation are never sampled.
//
// With JSON format and a level set in Lambda's advanced logging controls,
// Lambda itself drops lines below that level, sampled DEBUG lines included.
// For sampling to show, leave Lambda's level at DEBUG (or TRACE) and set the
// function's level with [WithLevel].
//
// # Safety
//
// Lumen never logs event payloads, responses, headers or environment
// variables; what reaches the log is what the function logs. In Text format
// every value and key containing spaces, quotes, newlines or other control
// or non-printing characters is quoted with Go escapes by slog's
// TextHandler, so a value cannot start a forged line; JSON escapes control
// characters and U+2028/U+2029 too.
//
// Redaction is on by default: the value of every attribute whose key ends
// with one of [DefaultRedactKeys] (password, secret, token, authorization,
// apikey, cookie, credentials, …), ignoring case and separators, is replaced
// with [RedactedValue] at any depth, in WithAttrs and inside a WithGroup so
// named. [WithRedactKeys] adds words, [WithoutDefaultRedaction] drops the
// defaults. Only attribute keys are inspected, not the message, map keys or
// struct fields inside one value: log a secret-bearing struct through a
// [log/slog.LogValuer] to have its fields checked.
//
// # Performance
//
// Handle allocates nothing in the steady state: the context fields of an
// invocation and span are encoded once, into a handler cached per logger for
// the last few invocations, and the JSON timestamp string is made once per
// millisecond. Enabled costs one level comparison unless sampling is on.
package logging
