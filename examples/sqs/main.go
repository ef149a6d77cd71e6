// Command sqs consumes an SQS queue of orders and reports partial batch
// failures: a message it cannot process is named in the answer's
// batchItemFailures, so that SQS deletes the rest of the batch and delivers
// only that message again (after its visibility timeout, and to the
// dead-letter queue after maxReceiveCount attempts).
//
// The answer only has that effect when the event source mapping asks for
// it: FunctionResponseTypes: [ReportBatchItemFailures] in SAM or
// CloudFormation. Without it, Lambda ignores the answer and a batch
// either succeeds or is retried whole.
//
// The event is aws-lambda-go's events.SQSEvent and the answer an
// events.SQSEventResponse. Lumen's invocation span is a consumer span
// ("process orders") linked to each message's producer trace
// (AWSTraceHeader); each message here gets a child span of its own, whose
// status says whether it failed. Log lines name the message id, never the
// body: message bodies often carry personal data.
//
// testdata/event.json is a batch of three messages, one of them invalid;
// the test in internal/examplestest runs this function under the Lambda
// Runtime Interface Emulator and requires the answer in
// testdata/response.json.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/runtime"
)

// Order is the body of each message.
type Order struct {
	OrderID  string `json:"orderId"`
	Quantity int    `json:"quantity"`
}

var tracer = otel.Tracer("github.com/lumen-rt/lumen/examples/sqs")

func handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, msg := range ev.Records {
		if err := process(ctx, msg); err != nil {
			slog.WarnContext(ctx, "message failed; SQS will deliver it again",
				"message_id", msg.MessageId, "error", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
		}
	}
	// A nil error with failures listed: the batch is partly processed. An
	// error here would make SQS deliver every message of the batch again.
	return resp, nil
}

// process handles one message under a span of its own.
func process(ctx context.Context, msg events.SQSMessage) (err error) {
	_, span := tracer.Start(ctx, "process message", trace.WithAttributes(
		attribute.String("messaging.message.id", msg.MessageId)))
	defer func() {
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	var o Order
	if err := json.Unmarshal([]byte(msg.Body), &o); err != nil {
		return fmt.Errorf("decode order: %w", err)
	}
	if o.OrderID == "" || o.Quantity <= 0 {
		return errInvalidOrder
	}
	span.SetAttributes(attribute.String("order.id", o.OrderID))
	return nil
}

var errInvalidOrder = errors.New("an order needs an orderId and a positive quantity")

func main() {
	runtime.Start(handle)
}
