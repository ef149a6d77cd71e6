package tracing_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/tracing"
)

// lambdaEnv sets the variables Lambda sets in an execution environment.
func lambdaEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "orders-api",
		"AWS_LAMBDA_FUNCTION_VERSION":     "12",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
		"AWS_REGION":                      "eu-west-1",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/orders-api",
		"AWS_LAMBDA_LOG_STREAM_NAME":      "2026/04/09/[12]abcdef0123456789",
		"OTEL_SERVICE_NAME":               "",
		"OTEL_RESOURCE_ATTRIBUTES":        "",
	} {
		t.Setenv(k, v)
	}
}

func resourceMap(r *resource.Resource) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range r.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestResource(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    map[string]any // string, int64 or []string
		absent  []string
		partial bool
	}{
		{
			name: "lambda environment",
			want: map[string]any{
				"cloud.provider": "aws", "cloud.platform": "aws_lambda", "cloud.region": "eu-west-1",
				"faas.name": "orders-api", "faas.version": "12", "faas.instance": "2026/04/09/[12]abcdef0123456789",
				"faas.max_memory": int64(512 * 1024 * 1024), "aws.log.group.names": []string{"/aws/lambda/orders-api"},
				"service.name": "orders-api", "telemetry.sdk.language": "go", "telemetry.sdk.name": "opentelemetry",
			},
		},
		{
			name: "OTEL_SERVICE_NAME overrides the function name",
			env:  map[string]string{"OTEL_SERVICE_NAME": "orders"},
			want: map[string]any{"service.name": "orders", "faas.name": "orders-api"},
		},
		{
			name: "OTEL_RESOURCE_ATTRIBUTES adds and overrides",
			env:  map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "deployment.environment.name=prod,service.name=from-attrs,cloud.region=override"},
			want: map[string]any{"service.name": "from-attrs", "deployment.environment.name": "prod", "cloud.region": "override"},
		},
		{
			name:    "bad memory size is reported, the rest kept",
			env:     map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"},
			want:    map[string]any{"faas.name": "orders-api", "service.name": "orders-api"},
			absent:  []string{"faas.max_memory"},
			partial: true,
		},
		{
			name:    "bad OTEL_RESOURCE_ATTRIBUTES is reported, the rest kept",
			env:     map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "novalue"},
			want:    map[string]any{"faas.name": "orders-api"},
			partial: true,
		},
		{
			name: "outside lambda",
			env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "", "AWS_LAMBDA_FUNCTION_VERSION": "", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "",
				"AWS_REGION": "", "AWS_LAMBDA_LOG_GROUP_NAME": "", "AWS_LAMBDA_LOG_STREAM_NAME": ""},
			want:   map[string]any{"telemetry.sdk.language": "go"},
			absent: []string{"cloud.provider", "cloud.platform", "faas.name", "service.name", "faas.max_memory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lambdaEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			res, err := tracing.Resource(t.Context())
			if tt.partial {
				require.ErrorIs(t, err, resource.ErrPartialResource)
			} else {
				require.NoError(t, err)
			}
			require.NotNil(t, res)
			got := resourceMap(res)
			for k, want := range tt.want {
				v, ok := got[attribute.Key(k)]
				require.True(t, ok, "missing %s in %v", k, res)
				switch w := want.(type) {
				case string:
					require.Equal(t, w, v.AsString(), k)
				case int64:
					require.Equal(t, w, v.AsInt64(), k)
				case []string:
					require.Equal(t, w, v.AsStringSlice(), k)
				}
			}
			for _, k := range tt.absent {
				require.NotContains(t, got, attribute.Key(k))
			}
		})
	}
}
