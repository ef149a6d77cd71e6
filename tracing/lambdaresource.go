package tracing

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Environment describes a Lambda execution environment with the values
// Lambda sets in its variables, read by the caller (package telemetry).
type Environment struct {
	FunctionName    string // AWS_LAMBDA_FUNCTION_NAME
	FunctionVersion string // AWS_LAMBDA_FUNCTION_VERSION
	MemoryMB        int    // AWS_LAMBDA_FUNCTION_MEMORY_SIZE
	Region          string // AWS_REGION
	LogGroupName    string // AWS_LAMBDA_LOG_GROUP_NAME
	LogStreamName   string // AWS_LAMBDA_LOG_STREAM_NAME
	// ServiceName is service.name; the function name when empty.
	ServiceName string
	// InstanceID is service.instance.id, which tells this execution
	// environment's telemetry from its siblings'; left out when empty.
	InstanceID string
	// Attributes are applied last and win (OTEL_RESOURCE_ATTRIBUTES).
	Attributes []attribute.KeyValue
	// Distro names the distribution (telemetry.distro.name and .version).
	DistroName, DistroVersion string
}

// NewResource returns the resource of env, under the schema of the
// semantic conventions Lumen follows:
//
//	cloud.provider, cloud.platform  aws, aws_lambda (when FunctionName is set)
//	cloud.region                    Region
//	faas.name, faas.version         FunctionName, FunctionVersion
//	faas.instance                   LogStreamName
//	faas.max_memory                 MemoryMB × 1 MiB, in bytes
//	aws.log.group.names             [LogGroupName]
//	service.name                    ServiceName, else FunctionName
//	service.instance.id             InstanceID
//	telemetry.sdk.*                 the OpenTelemetry Go SDK
//	telemetry.distro.*              DistroName, DistroVersion
//
// then env.Attributes, which override any of them. Empty values are left
// out. Traces, metrics and logs of one process share this one resource.
func NewResource(env Environment) *resource.Resource {
	attrs := make([]attribute.KeyValue, 0, 16+len(env.Attributes))
	attrs = append(attrs,
		semconv.TelemetrySDKName("opentelemetry"),
		semconv.TelemetrySDKLanguageGo,
		semconv.TelemetrySDKVersion(otel.Version()),
	)
	if env.DistroName != "" {
		attrs = append(attrs, semconv.TelemetryDistroName(env.DistroName))
	}
	if env.DistroVersion != "" {
		attrs = append(attrs, semconv.TelemetryDistroVersion(env.DistroVersion))
	}
	if env.FunctionName != "" {
		attrs = append(attrs, semconv.CloudProviderAWS, semconv.CloudPlatformAWSLambda, semconv.FaaSName(env.FunctionName))
	}
	add := func(v string, kv func(string) attribute.KeyValue) {
		if v != "" {
			attrs = append(attrs, kv(v))
		}
	}
	add(env.Region, semconv.CloudRegion)
	add(env.FunctionVersion, semconv.FaaSVersion)
	add(env.LogStreamName, semconv.FaaSInstance)
	if env.LogGroupName != "" {
		attrs = append(attrs, semconv.AWSLogGroupNames(env.LogGroupName))
	}
	if env.MemoryMB > 0 {
		attrs = append(attrs, semconv.FaaSMaxMemory(env.MemoryMB<<20))
	}
	service := env.ServiceName
	if service == "" {
		service = env.FunctionName
	}
	add(service, semconv.ServiceName)
	add(env.InstanceID, semconv.ServiceInstanceID)
	attrs = append(attrs, env.Attributes...)
	// Later attributes win: NewWithAttributes keeps the last of each key.
	return resource.NewWithAttributes(semconv.SchemaURL, attrs...)
}
