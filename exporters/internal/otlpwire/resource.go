package otlpwire

import (
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	"google.golang.org/protobuf/encoding/protowire"
)

// Fields shared by ResourceSpans, ResourceMetrics and ResourceLogs, by
// ScopeSpans, ScopeMetrics and ScopeLogs, and by the three export requests.
const (
	// The request's one repeated field of resource messages.
	requestResource protowire.Number = 1

	// Resource{Spans,Metrics,Logs}.
	resResource  protowire.Number = 1
	resScopes    protowire.Number = 2
	resSchemaURL protowire.Number = 3

	// Scope{Spans,Metrics,Logs}.
	scopeScope     protowire.Number = 1
	scopeItems     protowire.Number = 2
	scopeSchemaURL protowire.Number = 3

	// Resource.
	resourceAttributes protowire.Number = 1

	// InstrumentationScope.
	isName       protowire.Number = 1
	isVersion    protowire.Number = 2
	isAttributes protowire.Number = 3
)

// Resource is a resource encoded once: the process has one, and every
// request repeats it. The zero value is the empty resource.
type Resource struct {
	res *resource.Resource
	// msg is the Resource message's body.
	msg []byte
	// schemaURL is the resource's schema URL.
	schemaURL string
}

// NewResource encodes res (nil is the empty resource).
func NewResource(res *resource.Resource) *Resource {
	r := &Resource{res: res}
	if res == nil {
		return r
	}
	for iter := res.Iter(); iter.Next(); {
		r.msg = AppendAttribute(r.msg, resourceAttributes, iter.Attribute())
	}
	r.schemaURL = res.SchemaURL()
	return r
}

// Is reports whether r encodes res: the same pointer, or an equal resource
// with the same schema URL.
func (r *Resource) Is(res *resource.Resource) bool {
	return r.res == res || (r.res.Equal(res) && r.schemaURL == res.SchemaURL())
}

// appendHead appends the head of a Resource{Spans,Metrics,Logs} body: the
// resource and its schema URL.
func (r *Resource) appendHead(b []byte) []byte {
	b = AppendMessage(b, resResource, r.msg)
	return AppendString(b, resSchemaURL, r.schemaURL)
}

// headSize is the length of what appendHead appends.
func (r *Resource) headSize() int {
	n := protowire.SizeTag(resResource) + protowire.SizeBytes(len(r.msg))
	if r.schemaURL != "" {
		n += protowire.SizeTag(resSchemaURL) + protowire.SizeBytes(len(r.schemaURL))
	}
	return n
}

// Scope is an instrumentation scope, encoded once.
type Scope struct {
	scope instrumentation.Scope
	// msg is the InstrumentationScope message's body.
	msg []byte
}

// NewScope encodes s.
func NewScope(s instrumentation.Scope) *Scope {
	sc := &Scope{scope: s}
	sc.msg = AppendString(sc.msg, isName, s.Name)
	sc.msg = AppendString(sc.msg, isVersion, s.Version)
	for iter := s.Attributes.Iter(); iter.Next(); {
		sc.msg = AppendAttribute(sc.msg, isAttributes, iter.Attribute())
	}
	return sc
}

// appendHead appends the head of a Scope{Spans,Metrics,Logs} body: the
// scope and its schema URL.
func (s *Scope) appendHead(b []byte) []byte {
	b = AppendMessage(b, scopeScope, s.msg)
	return AppendString(b, scopeSchemaURL, s.scope.SchemaURL)
}

// headSize is the length of what appendHead appends.
func (s *Scope) headSize() int {
	n := protowire.SizeTag(scopeScope) + protowire.SizeBytes(len(s.msg))
	if s.scope.SchemaURL != "" {
		n += protowire.SizeTag(scopeSchemaURL) + protowire.SizeBytes(len(s.scope.SchemaURL))
	}
	return n
}
