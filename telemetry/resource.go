package telemetry

import (
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/lumen-rt/lumen/tracing"
)

// DistroName is the telemetry.distro.name of every resource Lumen builds.
const DistroName = "lumen"

// Resource returns the one resource of the process's traces, metrics and
// logs: the Lambda environment's attributes, service.name from
// POWERTOOLS_SERVICE_NAME or the function name, service.instance.id from
// [Env.Instance], then OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME,
// each winning over what comes before it.
func (e *Env) Resource() *resource.Resource {
	attrs := make([]attribute.KeyValue, 0, len(e.ResourceAttributes)+1)
	for _, kv := range e.ResourceAttributes {
		attrs = append(attrs, attribute.String(kv.Key, kv.Value))
	}
	if e.ServiceName != "" {
		attrs = append(attrs, semconv.ServiceName(e.ServiceName))
	}
	return tracing.NewResource(tracing.Environment{
		FunctionName:    e.Lambda.FunctionName,
		FunctionVersion: e.Lambda.FunctionVersion,
		MemoryMB:        e.Lambda.MemoryMB,
		Region:          e.Lambda.Region,
		LogGroupName:    e.Lambda.LogGroup,
		LogStreamName:   e.Lambda.LogStream,
		ServiceName:     e.Powertools.ServiceName,
		InstanceID:      e.Instance(),
		Attributes:      attrs,
		DistroName:      DistroName,
		DistroVersion:   Version,
	})
}

// Service returns the service the function belongs to, for the logs'
// service key and the EMF service dimension: OTEL_SERVICE_NAME, else
// service.name of OTEL_RESOURCE_ATTRIBUTES, else POWERTOOLS_SERVICE_NAME,
// else "" (the function name is already in every line).
func (e *Env) Service() string {
	if e.ServiceName != "" {
		return e.ServiceName
	}
	for i := len(e.ResourceAttributes) - 1; i >= 0; i-- {
		if e.ResourceAttributes[i].Key == string(semconv.ServiceNameKey) {
			return e.ResourceAttributes[i].Value
		}
	}
	return e.Powertools.ServiceName
}

// Instance returns the id that tells this execution environment's
// telemetry from its siblings': LUMEN_METRICS_INSTANCE, else the id at the
// end of the log stream name (2026/12/07/[$LATEST]0123abcd → 0123abcd),
// else "". A SnapStart environment is cloned after its init, so it has no
// id of its own before the restore: "" unless LUMEN_METRICS_INSTANCE names
// one.
func (e *Env) Instance() string {
	if e.MetricsInstance != "" {
		return e.MetricsInstance
	}
	if e.Lambda.InitializationType == "snap-start" {
		return ""
	}
	stream := e.Lambda.LogStream
	if i := strings.LastIndexByte(stream, ']'); i >= 0 && i+1 < len(stream) {
		return stream[i+1:]
	}
	return stream
}
