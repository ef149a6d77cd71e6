package invocation

import "strconv"

// Outcome is what a handler's response says about how the invocation went
// for its trigger, beyond success or error: the HTTP status an API Gateway,
// function URL or ALB response carries, and the items of an event source
// mapping's batch the response reports as failed.
type Outcome struct {
	// StatusCode is the HTTP status the caller gets; 0 when the trigger is
	// not HTTP.
	StatusCode int
	// BatchItemFailures is the length of a partial batch response's
	// batchItemFailures (SQS, Kinesis, DynamoDB Streams); -1 when the
	// trigger is not such a batch.
	BatchItemFailures int
}

// ReadOutcome reads the outcome of a successful invocation of an event from
// src out of the handler's JSON response, with the same scanner as
// [Classify]: it allocates nothing and never fails. For HTTP triggers:
//
//   - an object with a numeric statusCode gives that status;
//   - otherwise an HTTP API (payload 2.0) or a function URL answers 200
//     with the response as its body, while a REST API and an ALB, which
//     need a statusCode, answer 502.
//
// For SQS, Kinesis and DynamoDB Streams it counts batchItemFailures (none
// when absent or null).
func ReadOutcome(src Source, body []byte) Outcome {
	o := Outcome{BatchItemFailures: -1}
	switch src {
	case SourceAPIGatewayREST, SourceAPIGatewayHTTP, SourceFunctionURL, SourceALB:
		if code, ok := statusCode(body); ok {
			o.StatusCode = code
		} else if src == SourceAPIGatewayHTTP || src == SourceFunctionURL {
			o.StatusCode = 200
		} else {
			o.StatusCode = 502
		}
	case SourceSQS, SourceKinesis, SourceDynamoDB:
		o.BatchItemFailures = 0
		elements(fieldFold(body, "batchItemFailures"), func([]byte) bool {
			o.BatchItemFailures++
			return true
		})
	}
	return o
}

// statusCode returns the statusCode member of a response object.
func statusCode(body []byte) (int, bool) {
	v := fieldFold(body, "statusCode")
	if len(v) == 0 || len(v) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 100 || n > 599 {
		return 0, false
	}
	return n, true
}
