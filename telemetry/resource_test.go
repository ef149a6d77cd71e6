package telemetry_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/telemetry"
)

// The one resource of the three signals: Lambda's variables, then
// POWERTOOLS_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then
// OTEL_SERVICE_NAME, each winning over what comes before it.
func TestEnvResource(t *testing.T) {
	lambda := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_FUNCTION_VERSION": "7", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_REGION": "eu-west-1", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/orders",
		"AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/07/[7]0123abcd",
	}
	tests := []struct {
		name string
		vars map[string]string
		want map[string]string
	}{
		{name: "Lambda's variables", want: map[string]string{
			"service.name": "orders", "faas.name": "orders", "faas.version": "7", "cloud.region": "eu-west-1",
			"service.instance.id": "0123abcd", "telemetry.distro.name": "lumen", "telemetry.distro.version": telemetry.Version,
			"cloud.provider": "aws", "cloud.platform": "aws_lambda", "faas.instance": "2026/12/07/[7]0123abcd",
		}},
		{name: "Powertools' service", vars: map[string]string{"POWERTOOLS_SERVICE_NAME": "shop"},
			want: map[string]string{"service.name": "shop"}},
		{name: "OTEL_RESOURCE_ATTRIBUTES wins over Powertools", vars: map[string]string{"POWERTOOLS_SERVICE_NAME": "shop",
			"OTEL_RESOURCE_ATTRIBUTES": "service.name=billing,cloud.region=us-east-1"},
			want: map[string]string{"service.name": "billing", "cloud.region": "us-east-1"}},
		{name: "OTEL_SERVICE_NAME wins over everything", vars: map[string]string{"POWERTOOLS_SERVICE_NAME": "shop",
			"OTEL_RESOURCE_ATTRIBUTES": "service.name=billing", "OTEL_SERVICE_NAME": "checkout"},
			want: map[string]string{"service.name": "checkout"}},
		{name: "LUMEN_METRICS_INSTANCE names the instance", vars: map[string]string{"LUMEN_METRICS_INSTANCE": "env-9"},
			want: map[string]string{"service.instance.id": "env-9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{}
			for k, v := range lambda {
				vars[k] = v
			}
			for k, v := range tt.vars {
				vars[k] = v
			}
			e := telemetry.ReadEnv(env(vars))
			got := map[string]string{}
			for _, kv := range e.Resource().Attributes() {
				got[string(kv.Key)] = kv.Value.String()
			}
			for k, v := range tt.want {
				require.Equal(t, v, got[k], k)
			}
		})
	}
}
