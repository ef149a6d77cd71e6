// Command apigateway-rest is a REST API (API Gateway v1, Lambda proxy
// integration) behind one Lumen function: GET /orders/{id} answers the
// order as JSON, an unknown id 404 and any other method 405.
//
// The event is aws-lambda-go's events.APIGatewayProxyRequest and the answer
// an events.APIGatewayProxyResponse, exactly as with lambda.Start. Lumen
// names the invocation span after the route ("GET /orders/{id}") and
// records its HTTP attributes. A 404 is an answer, not a failed invocation:
// return an error only when the function itself failed.
//
// testdata/event.json is a request as API Gateway sends it; the test in
// internal/examplestest runs this function under the Lambda Runtime
// Interface Emulator and requires the answer in testdata/response.json.
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lumen-rt/lumen/runtime"
)

// Order is what GET /orders/{id} answers.
type Order struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Items  int    `json:"items"`
}

// orders stands in for the function's database.
var orders = map[string]Order{
	"42": {ID: "42", Status: "shipped", Items: 3},
	"43": {ID: "43", Status: "packing", Items: 1},
}

func handle(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	if req.HTTPMethod != http.MethodGet {
		return reply(http.StatusMethodNotAllowed, map[string]string{"error": "only GET is allowed"})
	}
	id := req.PathParameters["id"]
	order, ok := orders[id]
	if !ok {
		slog.InfoContext(ctx, "no such order", "order_id", id)
		return reply(http.StatusNotFound, map[string]string{"error": "no order " + id})
	}
	return reply(http.StatusOK, order)
}

// reply encodes body as the JSON answer API Gateway passes to the client.
func reply(status int, body any) (events.APIGatewayProxyResponse, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(b),
	}, nil
}

func main() {
	runtime.Start(handle)
}
