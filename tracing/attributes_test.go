package tracing_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/tracing"
)

func TestResourceID(t *testing.T) {
	const base = "arn:aws:lambda:eu-west-1:123456789012:function:api"
	tests := []struct {
		name, arn, version, want string
	}{
		{"alias replaced by version", base + ":live", "7", base + ":7"},
		{"alias pointing at $LATEST", base + ":dev", "$LATEST", base + ":$LATEST"},
		{"version qualifier kept", base + ":7", "7", base + ":7"},
		{"$LATEST qualifier kept", base + ":$LATEST", "$LATEST", base + ":$LATEST"},
		{"unqualified kept", base, "7", base},
		{"no version known", base + ":live", "", base + ":live"},
		{"china partition", "arn:aws-cn:lambda:cn-north-1:123456789012:function:api:prod", "3", "arn:aws-cn:lambda:cn-north-1:123456789012:function:api:3"},
		{"not a lambda arn", "arn:aws:sqs:us-east-1:123456789012:queue:extra:x", "3", "arn:aws:sqs:us-east-1:123456789012:queue:extra:x"},
		{"garbage", "not-an-arn", "3", "not-an-arn"},
		{"empty", "", "3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tracing.ResourceID(tt.arn, tt.version))
		})
	}
}

func TestAccountID(t *testing.T) {
	require.Equal(t, "123456789012", tracing.AccountID("arn:aws:lambda:eu-west-1:123456789012:function:api"))
	require.Equal(t, "123456789012", tracing.AccountID("arn:aws:lambda:eu-west-1:123456789012:function:api:live"))
	require.Empty(t, tracing.AccountID("arn:aws:lambda:eu-west-1"))
	require.Empty(t, tracing.AccountID(""))
}

func TestInvocationAttributes(t *testing.T) {
	const arn = "arn:aws:lambda:eu-west-1:123456789012:function:api"
	info := func(arn string, cold bool) *invocation.Info {
		i := &invocation.Info{ColdStart: cold}
		i.Lambda.AwsRequestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
		i.Lambda.InvokedFunctionArn = arn
		return i
	}
	ev := invocation.Classify([]byte(`{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","time":"2026-04-09T12:00:00Z"}`))
	tests := []struct {
		name    string
		info    *invocation.Info
		version string
		want    []attribute.KeyValue
	}{
		{
			name: "alias, cold start", info: info(arn+":live", true), version: "12",
			want: []attribute.KeyValue{
				attribute.String("faas.trigger", "timer"), attribute.String("faas.time", "2026-04-09T12:00:00Z"),
				attribute.String("faas.invocation_id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
				attribute.Bool("faas.coldstart", true),
				attribute.String("aws.lambda.invoked_arn", arn+":live"),
				attribute.String("cloud.resource_id", arn+":12"),
				attribute.String("cloud.account.id", "123456789012"),
			},
		},
		{
			name: "unqualified, warm", info: info(arn, false), version: "$LATEST",
			want: []attribute.KeyValue{
				attribute.String("faas.trigger", "timer"), attribute.String("faas.time", "2026-04-09T12:00:00Z"),
				attribute.String("faas.invocation_id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
				attribute.Bool("faas.coldstart", false),
				attribute.String("aws.lambda.invoked_arn", arn),
				attribute.String("cloud.resource_id", arn),
				attribute.String("cloud.account.id", "123456789012"),
			},
		},
		{
			name: "no arn", info: info("", false), version: "1",
			want: []attribute.KeyValue{
				attribute.String("faas.trigger", "timer"), attribute.String("faas.time", "2026-04-09T12:00:00Z"),
				attribute.String("faas.invocation_id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
				attribute.Bool("faas.coldstart", false),
			},
		},
		{
			name: "no info", version: "1",
			want: []attribute.KeyValue{attribute.String("faas.trigger", "timer"), attribute.String("faas.time", "2026-04-09T12:00:00Z")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tracing.AppendAttributes(nil, tt.info, ev, tt.version))
			// Twice: the second call is served from the cache of the last ARN.
			require.Equal(t, tt.want, tracing.AppendAttributes(nil, tt.info, ev, tt.version))
		})
	}
}

var sinkAttrs []attribute.KeyValue

func BenchmarkAppendAttributes(b *testing.B) {
	info := &invocation.Info{ColdStart: false}
	info.Lambda.AwsRequestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
	info.Lambda.InvokedFunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:api:live"
	ev := invocation.Classify(testdata(b, "apigw-http.json"))
	buf := make([]attribute.KeyValue, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		sinkAttrs = tracing.AppendAttributes(buf[:0], info, ev, "12")
	}
}
