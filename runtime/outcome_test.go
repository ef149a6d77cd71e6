package runtime_test

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"

	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

// The response of an event source mapping's batch says which records
// failed: the span says how many, and so do the metrics.
func TestPartialBatchFailures(t *testing.T) {
	t.Parallel()
	const sqs = `{"Records":[{"eventSource":"aws:sqs","messageId":"a","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:orders"},` +
		`{"eventSource":"aws:sqs","messageId":"b","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:orders"},` +
		`{"eventSource":"aws:sqs","messageId":"c","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:orders"}]}`
	fail := map[string]bool{"b": true}
	h, exp, rec := traced(t, func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var out events.SQSEventResponse
		for _, m := range ev.Records {
			if fail[m.MessageId] {
				out.BatchItemFailures = append(out.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			}
		}
		return out, nil
	})
	h.invokeDone(t, sqs, runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
	s := spansByName(exp.GetSpans())["process orders"]
	require.Equal(t, int64(1), attr(s, runtime.AttrBatchItemFailures).AsInt64())
	require.Equal(t, codes.Unset, s.Status.Code, "a partial batch failure is not the invocation's failure")
	require.Equal(t, 3.0, counterWith(t, rec, "faas_batch_items_total", "faas_trigger", "pubsub"))
	require.Equal(t, 1.0, counterWith(t, rec, "faas_batch_item_failures_total", "faas_trigger", "pubsub"))

	fail = map[string]bool{}
	h.invokeDone(t, sqs, runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
	require.Equal(t, 6.0, counterWith(t, rec, "faas_batch_items_total", "faas_trigger", "pubsub"))
	require.Equal(t, 1.0, counterWith(t, rec, "faas_batch_item_failures_total", "faas_trigger", "pubsub"))
}

// An HTTP trigger's response gives the span its status code; a 5xx is an
// error of the server span, a 4xx is not (the HTTP server conventions).
func TestHTTPResponseStatus(t *testing.T) {
	t.Parallel()
	status := 0
	h, exp, _ := traced(t, func(_ context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: status, Body: "x"}, nil
	})
	const req = `{"version":"2.0","routeKey":"GET /items/{id}","rawPath":"/items/1","requestContext":{"http":{"method":"GET","path":"/items/1"}}}`
	for _, tt := range []struct {
		status int
		code   codes.Code
	}{{200, codes.Unset}, {404, codes.Unset}, {503, codes.Error}} {
		status = tt.status
		exp.Reset()
		h.invokeDone(t, req, runtimetest.WithTraceID("Root="+testRoot+";Parent="+testParent+";Sampled=1"))
		s := spansByName(exp.GetSpans())["GET /items/{id}"]
		require.Equal(t, int64(tt.status), attr(s, "http.response.status_code").AsInt64())
		require.Equal(t, tt.code, s.Status.Code, "status %d", tt.status)
		if tt.code == codes.Error {
			require.Equal(t, "503", attr(s, "error.type").AsString())
		}
	}
}

// counterWith returns the value of the series of counter name whose label
// has value.
func counterWith(t *testing.T, rec *metrics.Recorder, name, label, value string) float64 {
	t.Helper()
	mfs, err := rec.Gatherer().Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{%s=%q}", name, label, value)
	return 0
}
