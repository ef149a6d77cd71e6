package otlpmetric

import (
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/tracing"
)

// defaultResource is the resource used without [WithResource]: the SDK's
// attributes and the environment's instance id, which tells this execution
// environment's series from its siblings'. The telemetry package passes the
// one Lambda resource of the process instead.
func defaultResource(instance string) *resource.Resource {
	return tracing.NewResource(tracing.Environment{InstanceID: instance})
}
