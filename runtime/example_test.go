package runtime_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

type order struct {
	ID    string `json:"id"`
	Items int    `json:"items"`
}

type receipt struct {
	OrderID   string `json:"orderId"`
	RequestID string `json:"requestId"`
}

func handleOrder(ctx context.Context, o order) (receipt, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	if o.Items == 0 {
		return receipt{}, fmt.Errorf("order %s is empty", o.ID)
	}
	return receipt{OrderID: o.ID, RequestID: lc.AwsRequestID}, nil
}

// A function's main: the one call that replaces aws-lambda-go's lambda.Start.
func ExampleStart() {
	runtime.Start(handleOrder)
}

// Options keep aws-lambda-go's names where it has them, and add the flush
// point: every flusher runs after each response is posted.
func ExampleStartWithOptions() {
	var tracerProvider runtime.Flusher // e.g. an *sdktrace.TracerProvider
	runtime.StartWithOptions(handleOrder,
		runtime.WithSetEscapeHTML(true),
		runtime.WithFlusher(tracerProvider),
		runtime.WithEnableSIGTERM(func() { slog.Info("shutting down") }),
	)
}

// Run serves invocations without exiting the process; here against the
// fake Runtime API of package runtimetest.
func ExampleRun() {
	srv := runtimetest.NewServer()
	defer srv.Close()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- runtime.Run(ctx, handleOrder, runtime.WithRuntimeAPI(srv.Addr()),
			runtime.WithLogger(slog.New(slog.DiscardHandler)))
	}()

	res, _ := srv.Invoke(ctx, []byte(`{"id":"o-1","items":2}`), runtimetest.WithRequestID("req-1"))
	fmt.Println(res.Endpoint, string(res.Body))
	res, _ = srv.Invoke(ctx, []byte(`{"id":"o-2"}`), runtimetest.WithRequestID("req-2"))
	fmt.Println(res.Endpoint, res.ErrorType, string(res.Body))

	stop()
	fmt.Println(<-done)
	// Output:
	// response {"orderId":"o-1","requestId":"req-1"}
	// error Function.ErrorString {"errorMessage":"order o-2 is empty","errorType":"errorString"}
	// <nil>
}
