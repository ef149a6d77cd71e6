package tracing

// The variables Lambda sets in every execution environment that describe it.
//
// Deprecated: the telemetry package reads them (telemetry.EnvFunctionName
// and the others) and passes their values to [NewResource] in an
// [Environment].
const (
	EnvFunctionName   = "AWS_LAMBDA_FUNCTION_NAME"
	EnvFunctionMemory = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
	EnvRegion         = "AWS_REGION"
	EnvLogGroupName   = "AWS_LAMBDA_LOG_GROUP_NAME"
	EnvLogStreamName  = "AWS_LAMBDA_LOG_STREAM_NAME"
)
