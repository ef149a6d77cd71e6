package invocation

import (
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// Source is the AWS service whose event shape [Classify] recognised.
type Source uint8

// The event sources [Classify] recognises.
const (
	SourceUnknown        Source = iota // not recognised: faas.trigger=other
	SourceAPIGatewayREST               // API Gateway REST API (payload 1.0, also HTTP APIs set to 1.0)
	SourceAPIGatewayHTTP               // API Gateway HTTP API (payload 2.0)
	SourceFunctionURL                  // Lambda function URL
	SourceALB                          // Application Load Balancer target
	SourceSQS                          // SQS event source mapping
	SourceSNS                          // SNS subscription
	SourceEventBridge                  // EventBridge rule (any detail-type but Scheduled Event)
	SourceSchedule                     // EventBridge schedule ("Scheduled Event")
	SourceKinesis                      // Kinesis Data Streams event source mapping
	SourceDynamoDB                     // DynamoDB Streams event source mapping
	SourceS3                           // S3 event notification
)

var sourceNames = [...]string{
	SourceUnknown:        "unknown",
	SourceAPIGatewayREST: "apigateway-rest",
	SourceAPIGatewayHTTP: "apigateway-http",
	SourceFunctionURL:    "function-url",
	SourceALB:            "alb",
	SourceSQS:            "sqs",
	SourceSNS:            "sns",
	SourceEventBridge:    "eventbridge",
	SourceSchedule:       "schedule",
	SourceKinesis:        "kinesis",
	SourceDynamoDB:       "dynamodb",
	SourceS3:             "s3",
}

// String returns a short lower-case name such as "sqs" or "apigateway-http".
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return sourceNames[SourceUnknown]
}

// Event is what [Classify] infers from an invocation's payload: the
// faas.trigger value, the span kind and name the FaaS semantic conventions
// prescribe for it, the trigger-specific attributes and, for SQS, one link per
// message that carried an AWSTraceHeader.
//
// The zero value is not meaningful; an unrecognised payload classifies as
// Trigger "other", kind SERVER.
type Event struct {
	// Trigger is the faas.trigger value.
	Trigger Trigger
	// Source names the service the payload came from.
	Source Source
	// Kind is SERVER, or CONSUMER for the batches of the poll-based event
	// source mappings (SQS, Kinesis, DynamoDB Streams).
	Kind trace.SpanKind
	// Name is the span name the conventions prescribe for this trigger, or
	// empty when it is the function name (see [Event.SpanName]): "GET
	// /items/{id}" for an API Gateway route, "process orders" for an SQS
	// batch from the queue "orders".
	Name string
	// Route is the API Gateway route (http.route), empty otherwise.
	Route string
	// Attributes are the trigger's span attributes, faas.trigger first.
	Attributes []attribute.KeyValue
	// Links holds one link per SQS message whose AWSTraceHeader names a
	// valid span context, with the message id as attribute; at most 128,
	// the SDK's default span link limit, in message order.
	Links []trace.Link
	// Headers are the HTTP request headers of an HTTP trigger, for
	// extracting context with the configured propagators. They refer to the
	// payload passed to Classify and are empty for other triggers.
	Headers Headers
	// BatchSize is the number of records of an event source mapping's
	// batch (SQS, Kinesis, DynamoDB Streams), 0 for other events.
	BatchSize int
}

// SpanName returns [Event.Name] or, when the trigger prescribes none, the
// function name: the name of the invocation span.
func (e *Event) SpanName(function string) string {
	if e.Name != "" {
		return e.Name
	}
	return function
}

// SpanStartOptions returns the options to start the invocation span with:
// its kind, attributes and links.
func (e *Event) SpanStartOptions() []trace.SpanStartOption {
	opts := make([]trace.SpanStartOption, 0, 3)
	opts = append(opts, trace.WithSpanKind(e.Kind), trace.WithAttributes(e.Attributes...))
	if len(e.Links) > 0 {
		opts = append(opts, trace.WithLinks(e.Links...))
	}
	return opts
}

// topLevel holds the raw values of the top-level keys Classify looks at.
type topLevel struct {
	records, httpMethod, resource, path, requestContext []byte
	headers, multiHeaders, routeKey, rawPath, rawQuery  []byte
	detailType, source, id, time, version               []byte
}

// Classify infers the trigger of an invocation from its raw JSON payload,
// following the OpenTelemetry FaaS and AWS Lambda semantic conventions:
//
//   - API Gateway REST (v1) and HTTP (v2) APIs, function URLs and ALB:
//     "http", with the HTTP server attributes (http.request.method, url.path,
//     http.route, server.address, user_agent.original, client.address, …);
//   - SQS, SNS, EventBridge and Kinesis: "pubsub"; DynamoDB Streams and S3:
//     "datasource"; EventBridge schedules ("Scheduled Event"): "timer";
//   - anything else, including invalid JSON: "other".
//
// It walks the bytes with a small scanner rather than decoding them, never
// panics, and allocates only for the values it returns, so the runtime calls
// it once per invocation. Classify does not retain payload, except through
// [Event.Headers].
func Classify(payload []byte) Event {
	var t topLevel
	ok := members(payload, func(k, v []byte) bool {
		switch string(k) {
		case "Records":
			t.records = v
		case "httpMethod":
			t.httpMethod = v
		case "resource":
			t.resource = v
		case "path":
			t.path = v
		case "requestContext":
			t.requestContext = v
		case "headers":
			t.headers = v
		case "multiValueHeaders":
			t.multiHeaders = v
		case "routeKey":
			t.routeKey = v
		case "rawPath":
			t.rawPath = v
		case "rawQueryString":
			t.rawQuery = v
		case "detail-type":
			t.detailType = v
		case "source":
			t.source = v
		case "id":
			t.id = v
		case "time":
			t.time = v
		case "version":
			t.version = v
		}
		return true
	})
	if ok {
		switch {
		case t.records != nil:
			if ev, ok := classifyRecords(t.records); ok {
				return ev
			}
		case (t.routeKey != nil || strIs(t.version, "2.0")) && t.requestContext != nil:
			return classifyHTTPv2(&t)
		case t.httpMethod != nil && t.requestContext != nil:
			return classifyHTTPv1(&t)
		case t.detailType != nil && t.source != nil:
			return classifyEventBridge(&t)
		}
	}
	return Event{
		Trigger:    TriggerOther,
		Kind:       trace.SpanKindServer,
		Attributes: []attribute.KeyValue{triggerOther},
	}
}
