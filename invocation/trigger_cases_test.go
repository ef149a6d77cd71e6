package invocation_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// The payloads of every trigger shape Classify knows, built from
// aws-lambda-go's events types and read from testdata samples, with the
// invocation span each must yield.

type wantLink struct {
	traceID, spanID string
	sampled         bool
	messageID       string
}

type triggerCase struct {
	name    string
	payload func(testing.TB) []byte
	trigger string
	source  invocation.Source
	kind    trace.SpanKind
	span    string // span name for function "my-function"
	route   string
	attrs   []attribute.KeyValue
	links   []wantLink
	headers map[string]string // expected Headers.Get results
}

func str(k, v string) attribute.KeyValue { return attribute.String(k, v) }

func triggerCases() []triggerCase {
	return []triggerCase{
		{
			name: "api gateway rest from events.APIGatewayProxyRequest",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.APIGatewayProxyRequest{
					Resource:   "/items/{id}",
					Path:       "/items/42",
					HTTPMethod: "GET",
					Headers:    map[string]string{"Host": "abc.execute-api.eu-west-1.amazonaws.com", "X-Amzn-Trace-Id": lambdaHeader},
					RequestContext: events.APIGatewayProxyRequestContext{
						DomainName: "abc.execute-api.eu-west-1.amazonaws.com",
						Protocol:   "HTTP/1.1",
						Identity:   events.APIGatewayRequestIdentity{SourceIP: "198.51.100.7", UserAgent: "curl/8.5.0"},
					},
					Body: `{"json":"in a \"string\"}"}`,
				})
			},
			trigger: "http", source: invocation.SourceAPIGatewayREST, kind: trace.SpanKindServer,
			span: "GET /items/{id}", route: "/items/{id}",
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "GET"), str("url.path", "/items/42"),
				str("url.scheme", "https"), str("http.route", "/items/{id}"),
				str("server.address", "abc.execute-api.eu-west-1.amazonaws.com"),
				str("user_agent.original", "curl/8.5.0"), str("client.address", "198.51.100.7"),
				str("network.protocol.version", "1.1"),
			},
			headers: map[string]string{"x-amzn-trace-id": lambdaHeader, "HOST": "abc.execute-api.eu-west-1.amazonaws.com", "absent": ""},
		},
		{
			name:    "api gateway rest sample",
			payload: func(t testing.TB) []byte { return testdata(t, "apigw-rest.json") },
			trigger: "http", source: invocation.SourceAPIGatewayREST, kind: trace.SpanKindServer,
			span: "GET /items/{id}", route: "/items/{id}",
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "GET"), str("url.path", "/items/42"),
				str("url.scheme", "https"), str("http.route", "/items/{id}"),
				str("server.address", "abc123.execute-api.eu-west-1.amazonaws.com"),
				str("user_agent.original", "curl/8.5.0"), str("client.address", "198.51.100.7"),
				str("network.protocol.version", "1.1"),
			},
			headers: map[string]string{"User-Agent": "curl/8.5.0", "x-forwarded-proto": "https"},
		},
		{
			name: "api gateway http from events.APIGatewayV2HTTPRequest, ANY route",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.APIGatewayV2HTTPRequest{
					Version: "2.0", RouteKey: "ANY /{proxy+}", RawPath: "/a/b", RawQueryString: "x=1",
					Headers: map[string]string{"traceparent": "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"},
					RequestContext: events.APIGatewayV2HTTPRequestContext{
						DomainName: "id.execute-api.us-east-1.amazonaws.com",
						HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
							Method: "PATCH", Path: "/a/b", Protocol: "HTTP/2.0", SourceIP: "203.0.113.9", UserAgent: "ua/1",
						},
					},
				})
			},
			trigger: "http", source: invocation.SourceAPIGatewayHTTP, kind: trace.SpanKindServer,
			span: "PATCH /{proxy+}", route: "/{proxy+}",
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "PATCH"), str("url.path", "/a/b"),
				str("url.query", "x=1"), str("url.scheme", "https"), str("http.route", "/{proxy+}"),
				str("server.address", "id.execute-api.us-east-1.amazonaws.com"), str("user_agent.original", "ua/1"),
				str("client.address", "203.0.113.9"), str("network.protocol.version", "2"),
			},
			headers: map[string]string{"Traceparent": "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"},
		},
		{
			name:    "api gateway http sample",
			payload: func(t testing.TB) []byte { return testdata(t, "apigw-http.json") },
			trigger: "http", source: invocation.SourceAPIGatewayHTTP, kind: trace.SpanKindServer,
			span: "POST /orders/{orderId}/items", route: "/orders/{orderId}/items",
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "POST"), str("url.path", "/orders/7/items"),
				str("url.query", "dry_run=true&tag=a%20b"), str("url.scheme", "https"),
				str("http.route", "/orders/{orderId}/items"),
				str("server.address", "r4nd0m.execute-api.us-east-1.amazonaws.com"), str("user_agent.original", "okhttp/4.12.0"),
				str("client.address", "203.0.113.9"), str("network.protocol.version", "1.1"),
			},
		},
		{
			name: "function url from events.LambdaFunctionURLRequest",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.LambdaFunctionURLRequest{
					Version: "2.0", RawPath: "/hook",
					RequestContext: events.LambdaFunctionURLRequestContext{
						DomainName: "k3y.lambda-url.eu-central-1.on.aws",
						HTTP:       events.LambdaFunctionURLRequestContextHTTPDescription{Method: "POST", Path: "/hook", SourceIP: "192.0.2.1"},
					},
				})
			},
			// events.LambdaFunctionURLRequest has no routeKey; version 2.0 tells the format.
			trigger: "http", source: invocation.SourceFunctionURL, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "POST"), str("url.path", "/hook"),
				str("url.scheme", "https"), str("server.address", "k3y.lambda-url.eu-central-1.on.aws"),
				str("client.address", "192.0.2.1"),
			},
		},
		{
			name:    "function url sample",
			payload: func(t testing.TB) []byte { return testdata(t, "function-url.json") },
			trigger: "http", source: invocation.SourceFunctionURL, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "PUT"), str("url.path", "/webhook"),
				str("url.scheme", "https"), str("server.address", "k3y5abcd.lambda-url.eu-central-1.on.aws"),
				str("user_agent.original", "GitHub-Hookshot/abc123"), str("client.address", "192.0.2.44"),
				str("network.protocol.version", "1.1"),
			},
		},
		{
			name: "alb from events.ALBTargetGroupRequest",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.ALBTargetGroupRequest{
					HTTPMethod: "PROPFIND", Path: "/dav",
					Headers: map[string]string{"host": "lb.example.com", "user-agent": "dav/1", "x-forwarded-for": "203.0.113.50", "x-forwarded-proto": "http"},
					RequestContext: events.ALBTargetGroupRequestContext{
						ELB: events.ELBContext{TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/tg/6d0e"},
					},
				})
			},
			trigger: "http", source: invocation.SourceALB, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "_OTHER"), str("http.request.method_original", "PROPFIND"),
				str("url.path", "/dav"), str("url.scheme", "http"), str("server.address", "lb.example.com"),
				str("user_agent.original", "dav/1"), str("client.address", "203.0.113.50"),
			},
		},
		{
			name:    "alb multi-value headers sample",
			payload: func(t testing.TB) []byte { return testdata(t, "alb-multivalue.json") },
			trigger: "http", source: invocation.SourceALB, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "http"), str("http.request.method", "DELETE"), str("url.path", "/carts/9"),
				str("url.scheme", "https"), str("server.address", "lb-123.us-east-2.elb.amazonaws.com"),
				str("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"), str("client.address", "203.0.113.50"),
			},
			headers: map[string]string{"X-Amzn-Trace-Id": "Root=" + root + ";Parent=" + parent + ";Sampled=1"},
		},
		{
			name:    "sqs batch sample",
			payload: func(t testing.TB) []byte { return testdata(t, "sqs-batch.json") },
			trigger: "pubsub", source: invocation.SourceSQS, kind: trace.SpanKindConsumer, span: "process orders",
			attrs: []attribute.KeyValue{
				str("faas.trigger", "pubsub"), str("messaging.system", "aws_sqs"), str("messaging.operation.type", "process"),
				str("messaging.operation.name", "process"), str("messaging.destination.name", "orders"),
				attribute.Int("messaging.batch.message_count", 3),
			},
			links: []wantLink{
				{traceID: "5759e988bd862e3fe1be46a994272793", spanID: parent, sampled: true, messageID: "059f36b4-87a3-44ab-83d2-661975830a7d"},
				{traceID: "6f3a1b2c0123456789abcdef01234567", spanID: otherParent, sampled: false, messageID: "8c5ad2c4-4d9f-4b4e-9a3e-2b0f7d6e5c4b"},
			},
		},
		{
			name: "sqs from events.SQSEvent, two queues, one message each",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.SQSEvent{Records: []events.SQSMessage{
					{MessageId: "m1", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:us-east-1:123456789012:a",
						Attributes: map[string]string{"AWSTraceHeader": "Root=" + root + ";Parent=" + parent + ";Sampled=1"}},
					{MessageId: "m2", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:us-east-1:123456789012:b",
						Attributes: map[string]string{"AWSTraceHeader": "garbage"}},
				}})
			},
			trigger: "pubsub", source: invocation.SourceSQS, kind: trace.SpanKindConsumer, span: "process",
			attrs: []attribute.KeyValue{
				str("faas.trigger", "pubsub"), str("messaging.system", "aws_sqs"), str("messaging.operation.type", "process"),
				str("messaging.operation.name", "process"), attribute.Int("messaging.batch.message_count", 2),
			},
			links: []wantLink{{traceID: "5759e988bd862e3fe1be46a994272793", spanID: parent, sampled: true, messageID: "m1"}},
		},
		{
			name: "sqs single message",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.SQSEvent{Records: []events.SQSMessage{
					{MessageId: "only", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:us-east-1:123456789012:jobs.fifo"},
				}})
			},
			trigger: "pubsub", source: invocation.SourceSQS, kind: trace.SpanKindConsumer, span: "process jobs.fifo",
			attrs: []attribute.KeyValue{
				str("faas.trigger", "pubsub"), str("messaging.system", "aws_sqs"), str("messaging.operation.type", "process"),
				str("messaging.operation.name", "process"), str("messaging.destination.name", "jobs.fifo"),
				str("messaging.message.id", "only"),
			},
		},
		{
			name: "sns from events.SNSEvent",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.SNSEvent{Records: []events.SNSEventRecord{{
					EventSource: "aws:sns", EventVersion: "1.0",
					SNS: events.SNSEntity{MessageID: "95df01b4-ee98-5cb9-9903-4c221d41eb5e", TopicArn: "arn:aws:sns:us-east-1:123456789012:alerts", Message: "hi"},
				}}})
			},
			trigger: "pubsub", source: invocation.SourceSNS, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "pubsub"), str("messaging.system", "aws.sns"), str("messaging.operation.type", "process"),
				str("messaging.operation.name", "process"), str("aws.sns.topic.arn", "arn:aws:sns:us-east-1:123456789012:alerts"),
				str("messaging.destination.name", "alerts"), str("messaging.message.id", "95df01b4-ee98-5cb9-9903-4c221d41eb5e"),
			},
		},
		{
			name: "eventbridge from events.EventBridgeEvent",
			payload: func(t testing.TB) []byte {
				return marshal(t, events.EventBridgeEvent{
					Version: "0", ID: "6a7e8feb-b491-4cf7-a9f1-bf3703467718", DetailType: "Order Placed", Source: "com.example.shop",
					Time: time.Date(2026, 4, 9, 12, 0, 0, 0, time.UTC), Detail: json.RawMessage(`{"orderId":"7"}`),
				})
			},
			trigger: "pubsub", source: invocation.SourceEventBridge, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "pubsub"), str("messaging.operation.type", "process"), str("messaging.operation.name", "process"),
				str("messaging.message.id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718"),
			},
		},
		{
			name:    "schedule sample",
			payload: func(t testing.TB) []byte { return testdata(t, "schedule.json") },
			trigger: "timer", source: invocation.SourceSchedule, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{str("faas.trigger", "timer"), str("faas.time", "2026-04-09T12:00:00Z")},
		},
		{
			name: "kinesis from events.KinesisEvent",
			payload: func(t testing.TB) []byte {
				rec := events.KinesisEventRecord{EventSource: "aws:kinesis", EventSourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
					Kinesis: events.KinesisRecord{PartitionKey: "p", SequenceNumber: "1", Data: []byte("x")}}
				return marshal(t, events.KinesisEvent{Records: []events.KinesisEventRecord{rec, rec}})
			},
			trigger: "pubsub", source: invocation.SourceKinesis, kind: trace.SpanKindConsumer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "pubsub"), str("messaging.operation.type", "process"), str("messaging.operation.name", "process"),
				str("aws.kinesis.stream_name", "clicks"), str("messaging.destination.name", "clicks"),
				attribute.Int("messaging.batch.message_count", 2),
			},
		},
		{
			name: "dynamodb from events.DynamoDBEvent",
			payload: func(t testing.TB) []byte {
				arn := "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-04-09T12:00:00.000"
				return marshal(t, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{
					{EventSource: "aws:dynamodb", EventName: "MODIFY", EventSourceArn: arn},
					{EventSource: "aws:dynamodb", EventName: "MODIFY", EventSourceArn: arn},
				}})
			},
			trigger: "datasource", source: invocation.SourceDynamoDB, kind: trace.SpanKindConsumer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "datasource"), str("faas.document.collection", "Orders"),
				attribute.StringSlice("aws.dynamodb.table_names", []string{"Orders"}), str("faas.document.operation", "edit"),
			},
		},
		{
			name:    "s3 sample",
			payload: func(t testing.TB) []byte { return testdata(t, "s3-put.json") },
			trigger: "datasource", source: invocation.SourceS3, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "datasource"), str("faas.document.collection", "photos-bucket"), str("aws.s3.bucket", "photos-bucket"),
				str("faas.document.operation", "insert"), str("faas.document.name", "uploads/holiday photo(1).jpg"),
				str("aws.s3.key", "uploads/holiday photo(1).jpg"), str("faas.document.time", "2026-04-09T12:34:56.789Z"),
			},
		},
		{
			name: "s3 removals from events.S3Event",
			payload: func(t testing.TB) []byte {
				rec := func(key string) events.S3EventRecord {
					return events.S3EventRecord{EventSource: "aws:s3", EventName: "ObjectRemoved:Delete",
						S3: events.S3Entity{Bucket: events.S3Bucket{Name: "b"}, Object: events.S3Object{Key: key}}}
				}
				return marshal(t, events.S3Event{Records: []events.S3EventRecord{rec("k1"), rec("k2")}})
			},
			trigger: "datasource", source: invocation.SourceS3, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{
				str("faas.trigger", "datasource"), str("faas.document.collection", "b"), str("aws.s3.bucket", "b"),
				str("faas.document.operation", "delete"),
			},
		},
		{
			name:    "unknown records",
			payload: func(testing.TB) []byte { return []byte(`{"Records":[{"eventSource":"aws:ses","ses":{}}]}`) },
			trigger: "other", source: invocation.SourceUnknown, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{str("faas.trigger", "other")},
		},
		{
			name:    "custom payload",
			payload: func(testing.TB) []byte { return []byte(`{"name":"world","path":"not http"}`) },
			trigger: "other", source: invocation.SourceUnknown, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{str("faas.trigger", "other")},
		},
		{
			name:    "not json",
			payload: func(testing.TB) []byte { return []byte(`{"httpMethod":"GET","requestContext":{`) },
			trigger: "other", source: invocation.SourceUnknown, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{str("faas.trigger", "other")},
		},
		{
			name:    "json string",
			payload: func(testing.TB) []byte { return []byte(`"hello"`) },
			trigger: "other", source: invocation.SourceUnknown, kind: trace.SpanKindServer, span: functionName,
			attrs: []attribute.KeyValue{str("faas.trigger", "other")},
		},
	}
}
