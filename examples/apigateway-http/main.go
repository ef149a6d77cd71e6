// Command apigateway-http is an HTTP API (API Gateway v2, payload format
// 2.0) behind one Lumen function: GET /greetings/{name} answers a JSON
// greeting.
//
// The event is aws-lambda-go's events.APIGatewayV2HTTPRequest and the answer
// an events.APIGatewayV2HTTPResponse, exactly as with lambda.Start. Lumen
// names the invocation span after the route key ("GET /greetings/{name}")
// and records the request's HTTP attributes. This is the function
// deploy/template.yaml deploys.
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
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lumen-rt/lumen/runtime"
)

// Greeting is the answer's body.
type Greeting struct {
	Message string `json:"message"`
}

func handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	name := strings.TrimSpace(req.PathParameters["name"])
	if name == "" {
		return reply(http.StatusBadRequest, map[string]string{"error": "the path has no name"})
	}
	slog.InfoContext(ctx, "greeting", "route", req.RouteKey)
	return reply(http.StatusOK, Greeting{Message: "Hello, " + name + "!"})
}

// reply encodes body as the JSON answer API Gateway passes to the client.
func reply(status int, body any) (events.APIGatewayV2HTTPResponse, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(b),
	}, nil
}

func main() {
	runtime.Start(handle)
}
