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
// The service ([WithService]) and the correlation fields come next, then the
// logger's attributes:
//
//	{"timestamp":"2024-05-01T12:00:00.123Z","level":"INFO","message":"charged","service":"payments","requestId":"8476a536-…","function_request_id":"8476a536-…","cold_start":true,"function_name":"checkout","function_memory_size":512,"function_arn":"arn:aws:lambda:…","xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793","trace_id":"5759e988bd862e3fe1be46a994272793","span_id":"53995c3f42cd8ad8","amount":42}
//
// # Installing it
//
// [Default] builds a logger on os.Stdout; [Install] also makes it slog's
// default (and so the standard log package's output). Lumen's runtime
// makes the handler its telemetry pipeline builds slog's default at
// start-up, unless the function opts out, and logs its own messages there. [Wrap] applies the
// same level, sampling and redaction to another handler, such as the
// OpenTelemetry slog bridge teed with NewHandler through
// slog.NewMultiHandler. [Err] writes an error as Lambda's errorType and
// errorMessage fields.
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
// [TraceIDKey] and [SpanIDKey]. The fields are always at the top level of
// the line, also from a logger with a group open (WithGroup).
//
// A line logged without an invocation or span in its context (a log.Printf,
// or slog.Info rather than slog.InfoContext) carries the fields of the
// invocation in flight, which the runtime declares with [SetCurrent] and
// [ClearCurrent], and its handle span. Lumen's runtime does so only when one
// invocation runs at a time (AWS_LAMBDA_MAX_CONCURRENCY unset or 1): with
// several in flight, such a line could belong to any of them, and it is
// written without invocation fields rather than with a wrong one. Outside
// an invocation, for example during init, the fields are absent; they are
// never read from the process environment (_X_AMZN_TRACE_ID is wrong as soon
// as invocations run concurrently).
//
// # Lines of the log package
//
// Once slog's default logger is this handler (Install, or Lumen's runtime),
// slog hands every line of the standard log package to it at INFO, with no
// context: such a line has level INFO and, at concurrency 1, the current
// invocation's fields. A minimum level above INFO drops it: the handler
// filters it before writing, whatever the format. With AWS_LAMBDA_LOG_FORMAT
// JSON, Lambda's own log-level filtering (AWS_LAMBDA_LOG_LEVEL) would drop
// it too, as it drops every JSON line whose "level" is below its level, and
// it files a line that is not JSON or has no level (fmt.Println, log lines
// written before Install) as INFO. Lambda filters application logs only in
// the JSON format; with Text, only the handler's own level applies.
//
// To keep log lines at WARN, raise the level slog gives them with
// slog.SetLogLoggerLevel(slog.LevelWarn), before or after Install (until
// Install, it is also the minimum level of slog's own functions, whose lines
// go to the log package), or give the code that takes a *log.Logger its own:
// slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn).
//
// # Configuration
//
// The handler is configured by its options only and reads no environment
// variable: the telemetry package reads the variables once
// (AWS_LAMBDA_LOG_FORMAT, AWS_LAMBDA_LOG_LEVEL, POWERTOOLS_LOG_LEVEL,
// POWERTOOLS_LOGGER_SAMPLE_RATE, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, POWERTOOLS_SERVICE_NAME,
// AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE) and passes
// their values as options (telemetry.Env.LoggingOptions). Options apply in order, a later
// one overriding an earlier one. Without options: Text format, INFO, no
// debug sampling, no service, function_name or function_memory_size field,
// [DefaultRedactKeys] redacted. Levels are Lambda's six, TRACE and FATAL
// being [LevelTrace] and [LevelFatal]; [ParseLevel] and [ParseFormat] read
// the variables' spellings.
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
// millisecond. A line without a context of its own pays one atomic load to
// find the current invocation. Enabled costs one level comparison unless
// sampling is on.
package logging
