// Command hello is the smallest useful Lumen function: a typed event in, a
// typed answer out, and a typed error for an event it refuses. Copy it as the
// start of your own function; README.md shows how to run it locally under the
// Lambda Runtime Interface Emulator and how to deploy it.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"go.opentelemetry.io/otel"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/runtime"
)

// Request is the event the function accepts.
type Request struct {
	Name string `json:"name"`
}

// Greeting is the function's answer.
type Greeting struct {
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
	ColdStart bool   `json:"coldStart"`
}

// MissingNameError is returned for a request without a name. Lambda reports
// it with errorType "MissingNameError" in the error document and
// Lambda-Runtime-Function-Error-Type "Function.MissingNameError".
type MissingNameError struct{}

func (*MissingNameError) Error() string { return `the request has no "name"` }

// greet is the handler: any of aws-lambda-go's handler signatures works.
func greet(ctx context.Context, req Request) (Greeting, error) {
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return Greeting{}, &MissingNameError{}
	}
	// A span started from ctx is a child of the runtime's lumen.handle span.
	_, span := otel.Tracer("hello").Start(ctx, "compose greeting")
	g := Greeting{Message: fmt.Sprintf("Hello, %s!", name)}
	span.End()
	if info, ok := invocation.FromContext(ctx); ok {
		g.RequestID, g.ColdStart = info.RequestID(), info.ColdStart
	}
	// The log line carries the request id, trace and span ids by itself.
	slog.InfoContext(ctx, "greeted", "name", name)
	return g, nil
}

func main() {
	runtime.Start(greet)
}
