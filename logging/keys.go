package logging

// Keys of the fields the handler writes. The built-in keys are Lambda's; the
// correlation keys are aws-lambda-go's (requestId, tenantId), Powertools'
// (function_*, xray_trace_id, cold_start, sampling_rate) and OpenTelemetry's
// log data model (trace_id, span_id), so existing CloudWatch Logs Insights
// queries keep working.
const (
	// TimestampKey replaces slog.TimeKey; the value is RFC 3339 in UTC with
	// millisecond precision.
	TimestampKey = "timestamp"
	// LevelKey holds Lambda's level name (see [LevelName]).
	LevelKey = "level"
	// MessageKey replaces slog.MessageKey.
	MessageKey = "message"

	// RequestIDKey is aws-lambda-go's key for the AWS request id.
	RequestIDKey = "requestId"
	// TenantIDKey is aws-lambda-go's key for the tenant id, written only for
	// tenant-isolated functions.
	TenantIDKey = "tenantId"
	// FunctionRequestIDKey is Powertools' key for the AWS request id.
	FunctionRequestIDKey = "function_request_id"
	// FunctionARNKey is Powertools' key for the invoked function ARN.
	FunctionARNKey = "function_arn"
	// FunctionNameKey is Powertools' key for AWS_LAMBDA_FUNCTION_NAME.
	FunctionNameKey = "function_name"
	// FunctionMemorySizeKey is Powertools' key for
	// AWS_LAMBDA_FUNCTION_MEMORY_SIZE, in MB, as a number.
	FunctionMemorySizeKey = "function_memory_size"
	// ColdStartKey is Powertools' key for whether the invocation is a cold start.
	ColdStartKey = "cold_start"
	// XRayTraceIDKey is Powertools' key for the Root part of the X-Ray trace
	// header, e.g. "1-5759e988-bd862e3fe1be46a994272793".
	XRayTraceIDKey = "xray_trace_id"
	// ServiceKey is Powertools' key for the service name (see [WithService]),
	// written on every line when set.
	ServiceKey = "service"
	// SamplingRateKey is Powertools' key for the debug sampling rate, written
	// on every line when the rate is above zero.
	SamplingRateKey = "sampling_rate"
	// TraceIDKey is the OpenTelemetry trace id of the current span, 32 hex digits.
	TraceIDKey = "trace_id"
	// SpanIDKey is the OpenTelemetry span id of the current span, 16 hex digits.
	SpanIDKey = "span_id"

	// ErrorTypeKey is the key of the error's type name written by [Err], as
	// in Lambda's error documents.
	ErrorTypeKey = "errorType"
	// ErrorMessageKey is the key of the error's message written by [Err], as
	// in Lambda's error documents.
	ErrorMessageKey = "errorMessage"
)
