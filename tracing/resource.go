package tracing

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// The variables Lambda sets in every execution environment that [Resource]
// reads.
const (
	EnvFunctionName   = "AWS_LAMBDA_FUNCTION_NAME"
	EnvFunctionMemory = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
	EnvRegion         = "AWS_REGION"
	EnvLogGroupName   = "AWS_LAMBDA_LOG_GROUP_NAME"
	EnvLogStreamName  = "AWS_LAMBDA_LOG_STREAM_NAME"
)

// Resource describes the Lambda execution environment, from the variables
// Lambda sets:
//
//	cloud.provider       aws                 (when AWS_LAMBDA_FUNCTION_NAME is set)
//	cloud.platform       aws_lambda          (idem)
//	cloud.region         AWS_REGION
//	faas.name            AWS_LAMBDA_FUNCTION_NAME
//	faas.version         AWS_LAMBDA_FUNCTION_VERSION
//	faas.instance        AWS_LAMBDA_LOG_STREAM_NAME
//	faas.max_memory      AWS_LAMBDA_FUNCTION_MEMORY_SIZE × 1 MiB, in bytes
//	aws.log.group.names  [AWS_LAMBDA_LOG_GROUP_NAME]
//	service.name         the function name
//	telemetry.sdk.*      the OpenTelemetry Go SDK
//
// OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME override any of them. Unset
// variables leave their attribute out. The error, when not nil, matches
// resource.ErrPartialResource (an unparsable OTEL_RESOURCE_ATTRIBUTES or
// memory size) and the resource returned holds everything else.
func Resource(ctx context.Context) (*resource.Resource, error) {
	attrs, err := lambdaAttributes()
	res, rerr := resource.New(ctx,
		resource.WithSchemaURL(semconv.SchemaURL),
		resource.WithAttributes(attrs...),
		resource.WithTelemetrySDK(),
		resource.WithFromEnv(),
	)
	if rerr != nil {
		err = rerr
	}
	if res == nil {
		res = resource.Empty()
	}
	return res, err
}

func lambdaAttributes() ([]attribute.KeyValue, error) {
	name := os.Getenv(EnvFunctionName)
	var attrs []attribute.KeyValue
	if name != "" {
		attrs = append(attrs,
			semconv.CloudProviderAWS,
			semconv.CloudPlatformAWSLambda,
			semconv.FaaSName(name),
			semconv.ServiceName(name),
		)
	}
	if v := os.Getenv(EnvRegion); v != "" {
		attrs = append(attrs, semconv.CloudRegion(v))
	}
	if v := os.Getenv(EnvFunctionVersion); v != "" {
		attrs = append(attrs, semconv.FaaSVersion(v))
	}
	if v := os.Getenv(EnvLogStreamName); v != "" {
		attrs = append(attrs, semconv.FaaSInstance(v))
	}
	if v := os.Getenv(EnvLogGroupName); v != "" {
		attrs = append(attrs, semconv.AWSLogGroupNames(v))
	}
	var err error
	if v := os.Getenv(EnvFunctionMemory); v != "" {
		mb, perr := strconv.Atoi(v)
		if perr != nil || mb <= 0 {
			err = fmt.Errorf("%w: %s=%q is not a positive number of MB", resource.ErrPartialResource, EnvFunctionMemory, v)
		} else {
			attrs = append(attrs, semconv.FaaSMaxMemory(mb<<20))
		}
	}
	return attrs, err
}
