package runtimetest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

type greeting struct {
	Name string `json:"name"`
}

// greet is the handler under test.
func greet(_ context.Context, in greeting) (string, error) {
	if in.Name == "" {
		return "", fmt.Errorf("greet: missing name")
	}
	return "Hello, " + in.Name + "!", nil
}

// A user's handler test: Start runs the handler on Lumen's runtime for the
// length of the test, and every Invoke returns what the runtime posted.
func ExampleStart() {
	testGreet := func(t *testing.T) {
		srv := runtimetest.Start(t, greet)

		res, err := srv.Invoke(t.Context(), []byte(`{"name":"Ada"}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(res.Body); got != `"Hello, Ada!"` {
			t.Errorf("body = %s", got)
		}

		res, err = srv.Invoke(t.Context(), []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if doc, _ := res.ErrorDocument(); !res.Failed() || !strings.Contains(doc.Message, "missing name") {
			t.Errorf("want a failed invocation, got %s %s", res.Endpoint, res.Body)
		}
	}
	_ = testGreet // run by `go test` as func TestGreet(t *testing.T)
}

// Without a *testing.T, run the runtime against a Server yourself.
func ExampleServer() {
	srv := runtimetest.NewServer()
	defer srv.Close()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- runtime.Run(ctx, greet, runtime.WithRuntimeAPI(srv.Addr())) }()

	res, err := srv.Invoke(ctx, []byte(`{"name":"Ada"}`), runtimetest.WithRequestID("req-1"))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.RequestID, res.Endpoint, res.Status, string(res.Body))

	res, err = srv.Invoke(ctx, []byte(`{}`), runtimetest.WithRequestID("req-2"))
	if err != nil {
		panic(err)
	}
	doc, _ := res.ErrorDocument()
	fmt.Println(res.RequestID, res.Endpoint, res.ErrorType, doc.Message)

	stop()
	fmt.Println("runtime returned:", <-done)
	// Output:
	// req-1 response 202 "Hello, Ada!"
	// req-2 error Function.ErrorString greet: missing name
	// runtime returned: <nil>
}

// Faults are scripted per invocation: here the Runtime API refuses the
// response as too large. That answer ends the invocation (the invoker gets
// Function.ResponseSizeTooLarge), so the runtime posts nothing more for it.
func ExampleWithPostStatus() {
	srv := runtimetest.NewServer()
	defer srv.Close()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- runtime.Run(ctx, greet, runtime.WithRuntimeAPI(srv.Addr())) }()

	res, err := srv.Invoke(ctx, []byte(`{"name":"Ada"}`),
		runtimetest.WithPostStatus(413, `{"errorType":"RequestEntityTooLarge"}`))
	if err != nil {
		panic(err)
	}
	for _, p := range res.Posts {
		fmt.Printf("%s %d %q\n", p.Endpoint, p.Status, p.ErrorType)
	}
	stop()
	<-done
	// Output:
	// response 413 ""
}
