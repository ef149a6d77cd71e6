package logging_test

import (
	"context"
	"errors"
	"log"
	"log/slog"
	"os"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// withoutTimestamp drops the timestamp so the output below is stable.
func withoutTimestamp(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == logging.TimestampKey {
		return slog.Attr{}
	}
	return a
}

// exampleContext is what Lumen's runtime puts in a handler's context.
func exampleContext() context.Context {
	info := &invocation.Info{
		ColdStart:   true,
		TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
	}
	info.Lambda.AwsRequestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
	return invocation.NewContext(context.Background(), info)
}

func Example() {
	logger := slog.New(logging.NewHandler(os.Stdout,
		logging.WithFormat(logging.FormatJSON), // telemetry passes AWS_LAMBDA_LOG_FORMAT
		logging.WithFunctionName("checkout"),   // and AWS_LAMBDA_FUNCTION_NAME
		logging.WithFunctionMemorySize(512),    // and AWS_LAMBDA_FUNCTION_MEMORY_SIZE
		logging.WithReplaceAttr(withoutTimestamp),
	))
	ctx := exampleContext()

	logger.InfoContext(ctx, "charged", "amount", 42, "card_token", "tok_123")
	logger.DebugContext(ctx, "not written: the default level is INFO")
	// Output:
	// {"level":"INFO","message":"charged","requestId":"8476a536-e9f4-11e8-9739-2dfe598c3fcd","function_request_id":"8476a536-e9f4-11e8-9739-2dfe598c3fcd","cold_start":true,"function_name":"checkout","function_memory_size":512,"xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793","amount":42,"card_token":"[REDACTED]"}
}

func ExampleInstall() {
	prev := slog.Default()
	defer slog.SetDefault(prev)

	// What the runtime does at start-up, unless the function opts out.
	logging.Install(logging.WithFormat(logging.FormatText), logging.WithReplaceAttr(withoutTimestamp))

	slog.InfoContext(exampleContext(), "ready", "items", 3)
	slog.Log(context.Background(), logging.LevelFatal, "init failed", logging.Err(errors.New("no table name")))
	// Output:
	// level=INFO message=ready requestId=8476a536-e9f4-11e8-9739-2dfe598c3fcd function_request_id=8476a536-e9f4-11e8-9739-2dfe598c3fcd cold_start=true xray_trace_id=1-5759e988-bd862e3fe1be46a994272793 items=3
	// level=FATAL message="init failed" errorType=errorString errorMessage="no table name"
}

func ExampleWrap() {
	// A second destination under the same level and redaction policy, teed
	// with the Lambda handler; an OpenTelemetry bridge handler goes here.
	other := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})
	logger := slog.New(slog.NewMultiHandler(
		logging.NewHandler(os.Stdout, logging.WithFormat(logging.FormatText), logging.WithReplaceAttr(withoutTimestamp)),
		logging.Wrap(other),
	))
	logger.Info("login", "user", "ann", "password", "hunter2")
	logger.Debug("not written by either")
	// Output:
	// level=INFO message=login user=ann password=[REDACTED]
	// level=INFO msg=login user=ann password=[REDACTED]
}

func ExampleSetCurrent() {
	prev, prevOut, prevFlags := slog.Default(), log.Writer(), log.Flags()
	defer func() { slog.SetDefault(prev); log.SetOutput(prevOut); log.SetFlags(prevFlags) }()
	logging.Install(logging.WithFormat(logging.FormatJSON), logging.WithService("payments"), logging.WithReplaceAttr(withoutTimestamp))

	// What Lumen's runtime does around each invocation when one runs at a
	// time: the handler's context becomes the current invocation.
	logging.SetCurrent(exampleContext())
	log.Printf("charged %d", 42) // existing code, unchanged
	logging.ClearCurrent()

	log.Print("between invocations")
	// Output:
	// {"level":"INFO","message":"charged 42","service":"payments","requestId":"8476a536-e9f4-11e8-9739-2dfe598c3fcd","function_request_id":"8476a536-e9f4-11e8-9739-2dfe598c3fcd","cold_start":true,"xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793"}
	// {"level":"INFO","message":"between invocations","service":"payments"}
}
