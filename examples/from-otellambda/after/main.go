// Command after is ../before moved to Lumen: the handler is unchanged, and
// main is one line plus the import that links Lumen's OTLP exporters. The
// tracer provider, X-Ray propagation and ids, the flush and the shutdown
// are the runtime's, configured by the same environment variables
// (OTEL_EXPORTER_OTLP_ENDPOINT selects OTLP; OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES and the other OTEL_* variables work as in any
// OpenTelemetry SDK).
//
// What changes for the function's users and operators:
//
//   - The spans leave after the response is posted and before the next
//     event is fetched: callers no longer wait for the collector.
//   - The invocation span is a child of Lambda's segment, with receive,
//     handle and post phases, FaaS attributes, the trigger read from the
//     event, and the error's type and status on failure; the handler's own
//     spans hang under lumen.handle.
//   - Metrics (faas_*, as CloudWatch EMF by default) and JSON logs carrying
//     the request, trace and span ids come with it; SIGTERM gets a final
//     flush.
//
// Without the OTLP import the default is X-Ray (with active tracing) and no
// collector layer is needed at all; keep the import and the layer to send
// spans to any OTLP backend. Both versions answer testdata/event.json with
// testdata/response.json under the Lambda Runtime Interface Emulator,
// exporting to a real OpenTelemetry Collector (the test in
// internal/examplestest).
package main

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel"

	_ "github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/runtime"
)

// Request is the event.
type Request struct {
	Name string `json:"name"`
}

// Greeting is the answer.
type Greeting struct {
	Message string `json:"message"`
}

// MissingNameError is returned for a request without a name.
type MissingNameError struct{}

func (*MissingNameError) Error() string { return `the request has no "name"` }

func greet(ctx context.Context, req Request) (Greeting, error) {
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return Greeting{}, &MissingNameError{}
	}
	_, span := otel.Tracer("greeter").Start(ctx, "compose greeting")
	defer span.End()
	return Greeting{Message: fmt.Sprintf("Hello, %s!", name)}, nil
}

func main() {
	runtime.Start(greet)
}
