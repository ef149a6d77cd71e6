// Command awssdk reads a customer from a DynamoDB table through
// aws-sdk-go-v2, with every AWS call traced as a child span of Lumen's
// lumen.handle span.
//
// The client is built once, in a [runtime.WithSetup] hook: after Lumen has
// installed its tracer provider and propagator as OpenTelemetry's globals,
// before the first event, and as part of the cold start (a failure there
// is reported to Lambda as Function.SetupError and ends the process). The
// OpenTelemetry instrumentation of the AWS SDK, otelaws, adds middleware
// that starts a client span per call ("DynamoDB.GetItem", with the table
// name, region and AWS request id; never the item or the key) from the
// handler's context, and injects the trace context into the request. With
// Lambda's active tracing, Lumen sends the spans to the X-Ray daemon, which
// shows the call as a "DynamoDB" node under the function.
//
// otelaws is deprecated upstream, with no release after v0.72.0; the SDK's
// own tracing adapter (smithy-go's smithyoteltracing) is its successor. Any
// instrumentation that starts spans from the context it is given nests
// under lumen.handle the same way.
//
// Configuration: TABLE_NAME names the table; the SDK reads the region and
// credentials from Lambda's environment, and AWS_ENDPOINT_URL_DYNAMODB, when
// set, points the client elsewhere (DynamoDB Local, or the fake endpoint of
// the test in internal/examplestest, which runs this function under the
// Lambda Runtime Interface Emulator with testdata/event.json and requires
// the answer in testdata/response.json).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"go.opentelemetry.io/contrib/instrumentation/github.com/aws/aws-sdk-go-v2/otelaws"

	"github.com/lumen-rt/lumen/runtime"
)

// Request names the customer to read.
type Request struct {
	ID string `json:"id"`
}

// Customer is an item of the table, and the function's answer.
type Customer struct {
	ID    string `json:"id" dynamodbav:"id"`
	Name  string `json:"name" dynamodbav:"name"`
	Email string `json:"email" dynamodbav:"email"`
}

// NotFoundError is returned for an id the table does not hold.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("no customer %q", e.ID) }

// app holds what the setup hook builds once per execution environment.
type app struct {
	db    *dynamodb.Client
	table string
}

// setup builds the DynamoDB client with OpenTelemetry's middleware.
func (a *app) setup(ctx context.Context) error {
	a.table = os.Getenv("TABLE_NAME")
	if a.table == "" {
		return errors.New("TABLE_NAME is not set")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("load the AWS configuration: %w", err)
	}
	otelaws.AppendMiddlewares(&cfg.APIOptions)
	a.db = dynamodb.NewFromConfig(cfg)
	return nil
}

// handle reads one item. ctx carries lumen.handle's span, so the SDK's
// span is its child.
func (a *app) handle(ctx context.Context, req Request) (Customer, error) {
	out, err := a.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(a.table),
		Key:       map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: req.ID}},
	})
	if err != nil {
		return Customer{}, fmt.Errorf("get customer %q: %w", req.ID, err)
	}
	if out.Item == nil {
		return Customer{}, &NotFoundError{ID: req.ID}
	}
	var c Customer
	if err := attributevalue.UnmarshalMap(out.Item, &c); err != nil {
		return Customer{}, fmt.Errorf("decode customer %q: %w", req.ID, err)
	}
	return c, nil
}

func main() {
	a := &app{}
	runtime.StartWithOptions(a.handle, runtime.WithSetup(a.setup))
}
