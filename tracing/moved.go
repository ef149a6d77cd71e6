package tracing

import (
	"github.com/lumen-rt/lumen/invocation"
)

// What package invocation now holds: the parsed X-Ray trace header and the
// trigger inferred from the event are facts about the invocation, read by
// tracing, metrics, logging and the exporters alike. The names below keep
// code written against earlier versions of this package compiling.

// Header is a parsed X-Ray trace header.
//
// Deprecated: use [invocation.XRayHeader].
type Header = invocation.XRayHeader

// Field is one key=value pair of an X-Ray trace header.
//
// Deprecated: use [invocation.Field].
type Field = invocation.Field

// Sampling is the value of the Sampled key of an X-Ray trace header.
//
// Deprecated: use [invocation.Sampling].
type Sampling = invocation.Sampling

// ParseError describes why a header was rejected.
//
// Deprecated: use [invocation.ParseError].
type ParseError = invocation.ParseError

// Event is what [Classify] infers from an invocation's payload.
//
// Deprecated: use [invocation.Event].
type Event = invocation.Event

// Source is the AWS service whose event shape was recognised.
//
// Deprecated: use [invocation.Source].
type Source = invocation.Source

// Headers gives read access to the HTTP headers of an HTTP event.
//
// Deprecated: use [invocation.Headers].
type Headers = invocation.Headers

// Deprecated: use the constants of package invocation.
const (
	HeaderName = invocation.XRayHeaderName
	KeyRoot    = invocation.KeyRoot
	KeyParent  = invocation.KeyParent
	KeySampled = invocation.KeySampled
	KeyLineage = invocation.KeyLineage

	SamplingAbsent     = invocation.SamplingAbsent
	SamplingNotSampled = invocation.SamplingNotSampled
	SamplingSampled    = invocation.SamplingSampled
	SamplingRequested  = invocation.SamplingRequested

	TriggerDatasource = invocation.TriggerDatasource
	TriggerHTTP       = invocation.TriggerHTTP
	TriggerPubSub     = invocation.TriggerPubSub
	TriggerTimer      = invocation.TriggerTimer
	TriggerOther      = invocation.TriggerOther

	SourceUnknown        = invocation.SourceUnknown
	SourceAPIGatewayREST = invocation.SourceAPIGatewayREST
	SourceAPIGatewayHTTP = invocation.SourceAPIGatewayHTTP
	SourceFunctionURL    = invocation.SourceFunctionURL
	SourceALB            = invocation.SourceALB
	SourceSQS            = invocation.SourceSQS
	SourceSNS            = invocation.SourceSNS
	SourceEventBridge    = invocation.SourceEventBridge
	SourceSchedule       = invocation.SourceSchedule
	SourceKinesis        = invocation.SourceKinesis
	SourceDynamoDB       = invocation.SourceDynamoDB
	SourceS3             = invocation.SourceS3
)

// Deprecated: use the errors of package invocation.
var (
	ErrMalformedHeader = invocation.ErrMalformedHeader
	ErrMissingRoot     = invocation.ErrMissingRoot
	ErrInvalidRoot     = invocation.ErrInvalidRoot
	ErrInvalidParent   = invocation.ErrInvalidParent
	ErrInvalidSampled  = invocation.ErrInvalidSampled
)

// Deprecated: use the functions of package invocation.
var (
	ParseHeader           = invocation.ParseXRayHeader
	HeaderFromSpanContext = invocation.XRayHeaderFromSpanContext
	TraceIDFromRoot       = invocation.TraceIDFromRoot
	RootFromTraceID       = invocation.RootFromTraceID
	SpanIDFromParent      = invocation.SpanIDFromParent
	ParentFromSpanID      = invocation.ParentFromSpanID
	Classify              = invocation.Classify
)
