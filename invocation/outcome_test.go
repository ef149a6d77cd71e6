package invocation_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/invocation"
)

func TestReadOutcome(t *testing.T) {
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		name string
		src  invocation.Source
		body []byte
		want invocation.Outcome
	}{
		{"REST API proxy response", invocation.SourceAPIGatewayREST, js(events.APIGatewayProxyResponse{StatusCode: 201}), invocation.Outcome{StatusCode: 201, BatchItemFailures: -1}},
		{"REST API 5xx", invocation.SourceAPIGatewayREST, js(events.APIGatewayProxyResponse{StatusCode: 503}), invocation.Outcome{StatusCode: 503, BatchItemFailures: -1}},
		{"REST API without statusCode: API Gateway answers 502", invocation.SourceAPIGatewayREST, []byte(`{"body":"x"}`), invocation.Outcome{StatusCode: 502, BatchItemFailures: -1}},
		{"HTTP API v2 response", invocation.SourceAPIGatewayHTTP, js(events.APIGatewayV2HTTPResponse{StatusCode: 404}), invocation.Outcome{StatusCode: 404, BatchItemFailures: -1}},
		{"HTTP API v2 plain body: 200", invocation.SourceAPIGatewayHTTP, []byte(`"hello"`), invocation.Outcome{StatusCode: 200, BatchItemFailures: -1}},
		{"function URL object without statusCode: 200", invocation.SourceFunctionURL, []byte(`{"message":"hi"}`), invocation.Outcome{StatusCode: 200, BatchItemFailures: -1}},
		{"ALB", invocation.SourceALB, js(events.ALBTargetGroupResponse{StatusCode: 500}), invocation.Outcome{StatusCode: 500, BatchItemFailures: -1}},
		{"ALB garbage: 502", invocation.SourceALB, []byte(`not json`), invocation.Outcome{StatusCode: 502, BatchItemFailures: -1}},
		{"status out of range", invocation.SourceALB, []byte(`{"statusCode":1000}`), invocation.Outcome{StatusCode: 502, BatchItemFailures: -1}},
		{"SQS partial batch response", invocation.SourceSQS, js(events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: "a"}, {ItemIdentifier: "b"}}}), invocation.Outcome{BatchItemFailures: 2}},
		{"SQS without failures", invocation.SourceSQS, []byte(`{"batchItemFailures":[]}`), invocation.Outcome{}},
		{"SQS with no body", invocation.SourceSQS, []byte(`null`), invocation.Outcome{}},
		{"Kinesis", invocation.SourceKinesis, js(events.KinesisEventResponse{BatchItemFailures: []events.KinesisBatchItemFailure{{ItemIdentifier: "1"}}}), invocation.Outcome{BatchItemFailures: 1}},
		{"DynamoDB Streams", invocation.SourceDynamoDB, js(events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{{ItemIdentifier: "1"}, {ItemIdentifier: "2"}, {ItemIdentifier: "3"}}}), invocation.Outcome{BatchItemFailures: 3}},
		{"SNS is not a batch with failures", invocation.SourceSNS, []byte(`{"batchItemFailures":[{}]}`), invocation.Outcome{BatchItemFailures: -1}},
		{"unknown source", invocation.SourceUnknown, []byte(`{"statusCode":500}`), invocation.Outcome{BatchItemFailures: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, invocation.ReadOutcome(tt.src, tt.body))
		})
	}
}

func TestClassifyBatchSize(t *testing.T) {
	for _, tc := range []struct {
		payload string
		want    int
	}{
		{`{"Records":[{"eventSource":"aws:sqs","messageId":"1"},{"eventSource":"aws:sqs","messageId":"2"}]}`, 2},
		{`{"Records":[{"eventSource":"aws:kinesis","kinesis":{}}]}`, 1},
		{`{"Records":[{"eventSource":"aws:dynamodb","eventName":"INSERT"},{"eventSource":"aws:dynamodb"},{"eventSource":"aws:dynamodb"}]}`, 3},
		{`{"Records":[{"EventSource":"aws:sns","Sns":{}}]}`, 0},
		{`{}`, 0},
	} {
		require.Equal(t, tc.want, invocation.Classify([]byte(tc.payload)).BatchSize, tc.payload)
	}
}

func FuzzReadOutcome(f *testing.F) {
	for _, s := range []string{`{"statusCode":200}`, `{"batchItemFailures":[{"itemIdentifier":"a"}]}`, `"x"`, `[`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for src := invocation.SourceUnknown; src <= invocation.SourceS3; src++ {
			o := invocation.ReadOutcome(src, []byte(body))
			require.GreaterOrEqual(t, o.BatchItemFailures, -1)
			require.True(t, o.StatusCode == 0 || (o.StatusCode >= 100 && o.StatusCode <= 599))
		}
	})
}
