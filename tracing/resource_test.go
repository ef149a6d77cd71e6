package tracing_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/tracing"
)

func resourceMap(r *resource.Resource) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range r.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestNewResource(t *testing.T) {
	lambda := tracing.Environment{
		FunctionName: "orders-api", FunctionVersion: "12", MemoryMB: 512, Region: "eu-west-1",
		LogGroupName: "/aws/lambda/orders-api", LogStreamName: "2026/04/09/[12]abcdef0123456789",
	}
	tests := []struct {
		name   string
		edit   func(e *tracing.Environment)
		want   map[string]any // string, int64 or []string
		absent []string
	}{
		{
			name: "lambda environment",
			want: map[string]any{
				"cloud.provider": "aws", "cloud.platform": "aws_lambda", "cloud.region": "eu-west-1",
				"faas.name": "orders-api", "faas.version": "12", "faas.instance": "2026/04/09/[12]abcdef0123456789",
				"faas.max_memory": int64(512 * 1024 * 1024), "aws.log.group.names": []string{"/aws/lambda/orders-api"},
				"service.name": "orders-api", "telemetry.sdk.language": "go", "telemetry.sdk.name": "opentelemetry",
			},
			absent: []string{"service.instance.id", "telemetry.distro.name"},
		},
		{
			name: "a service name and an instance",
			edit: func(e *tracing.Environment) { e.ServiceName, e.InstanceID = "orders", "abcdef0123456789" },
			want: map[string]any{"service.name": "orders", "faas.name": "orders-api", "service.instance.id": "abcdef0123456789"},
		},
		{
			name: "attributes add and override",
			edit: func(e *tracing.Environment) {
				e.Attributes = []attribute.KeyValue{attribute.String("deployment.environment.name", "prod"),
					attribute.String("service.name", "from-attrs"), attribute.String("cloud.region", "override")}
			},
			want: map[string]any{"service.name": "from-attrs", "deployment.environment.name": "prod", "cloud.region": "override"},
		},
		{
			name: "the distribution",
			edit: func(e *tracing.Environment) { e.DistroName, e.DistroVersion = "lumen", "0.4.0" },
			want: map[string]any{"telemetry.distro.name": "lumen", "telemetry.distro.version": "0.4.0"},
		},
		{
			name:   "outside lambda",
			edit:   func(e *tracing.Environment) { *e = tracing.Environment{} },
			want:   map[string]any{"telemetry.sdk.language": "go"},
			absent: []string{"cloud.provider", "cloud.platform", "faas.name", "service.name", "faas.max_memory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := lambda
			if tt.edit != nil {
				tt.edit(&env)
			}
			res := tracing.NewResource(env)
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
