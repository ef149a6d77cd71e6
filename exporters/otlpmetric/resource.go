package otlpmetric

import (
	"context"
	"os"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
)

// lambdaResource builds the environment's resource from Lambda's variables,
// then OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, which win.
func lambdaResource(ctx context.Context, instance string) (*resource.Resource, error) {
	attrs := []attribute.KeyValue{
		semconv.ServiceInstanceID(instance),
		semconv.CloudProviderAWS,
		semconv.CloudPlatformAWSLambda,
	}
	add := func(env string, kv func(string) attribute.KeyValue) {
		if v := os.Getenv(env); v != "" {
			attrs = append(attrs, kv(v))
		}
	}
	add("AWS_LAMBDA_FUNCTION_NAME", semconv.ServiceName)
	add("AWS_LAMBDA_FUNCTION_NAME", semconv.FaaSName)
	add("AWS_LAMBDA_FUNCTION_VERSION", semconv.FaaSVersion)
	add("AWS_LAMBDA_LOG_STREAM_NAME", semconv.FaaSInstance)
	add("AWS_REGION", semconv.CloudRegion)
	if mb, err := strconv.Atoi(os.Getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")); err == nil && mb > 0 {
		attrs = append(attrs, semconv.FaaSMaxMemory(mb<<20))
	}
	return resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithAttributes(attrs...),
		resource.WithFromEnv(),
	)
}
