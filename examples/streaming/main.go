// Command streaming answers a Lambda function URL with a streamed response:
// server-sent events, one per step of a job, each sent as soon as it is
// ready rather than after the whole answer is built.
//
// Deploy it with a function URL whose InvokeMode is RESPONSE_STREAM (in SAM:
// FunctionUrlConfig: {AuthType: AWS_IAM, InvokeMode: RESPONSE_STREAM}). The
// handler returns aws-lambda-go's *events.LambdaFunctionURLStreamingResponse:
// an io.Reader with no JSON form, which Lumen streams to the Runtime API
// (Lambda-Runtime-Function-Response-Mode: streaming, chunked), its status
// and headers first. Any io.Reader result is streamed the same way; a read
// error in the middle of the stream ends it and reaches Lambda in the
// Lambda-Runtime-Function-Error-Type and -Error-Body trailers. Lumen closes
// the body when the stream ends, so the writing goroutine below always
// returns, also when the client goes away. lambda.Start streams only with
// aws-lambda-go's lambdaurl package; runtime.Start needs nothing more.
//
// testdata/event.json is a function URL request for ?steps=3; the test in
// internal/examplestest runs this function under the Lambda Runtime
// Interface Emulator. The emulator answers with the stream as the function
// wrote it: the JSON prelude with the status and headers (which Lambda turns
// into the HTTP status line and headers), eight NUL bytes, then the body;
// the test requires the prelude in testdata/response.json and the body in
// testdata/response.txt.
package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lumen-rt/lumen/runtime"
)

// maxSteps bounds the steps a request may ask for.
const maxSteps = 100

func handle(ctx context.Context, req events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error) {
	steps := 3
	if s, ok := req.QueryStringParameters["steps"]; ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxSteps {
			return &events.LambdaFunctionURLStreamingResponse{
				StatusCode: 400,
				Headers:    map[string]string{"Content-Type": "text/plain"},
				Body:       strings.NewReader(fmt.Sprintf("steps must be 1 to %d\n", maxSteps)),
			}, nil
		}
		steps = n
	}
	r, w := io.Pipe()
	go func() {
		// Each Write returns once the runtime has read it: the event is on
		// its way to the client before the next step starts.
		for i := 1; i <= steps; i++ {
			if ctx.Err() != nil {
				w.CloseWithError(ctx.Err())
				return
			}
			if _, err := fmt.Fprintf(w, "event: progress\ndata: {\"step\":%d,\"of\":%d}\n\n", i, steps); err != nil {
				return // the reader was closed
			}
		}
		_, _ = io.WriteString(w, "event: done\ndata: {}\n\n")
		w.Close()
	}()
	return &events.LambdaFunctionURLStreamingResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
		Body:       r,
	}, nil
}

func main() {
	runtime.Start(handle)
}
