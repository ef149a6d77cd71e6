// Command testfunc is the Lambda function Lumen's integration tests run under
// the Runtime Interface Emulator. Each event chooses what it does:
//
//	{"op":"echo","data":…}          returns data
//	{"op":"context"}                returns what the handler's context holds
//	{"op":"error","message":"…"}    returns a *ValidationError
//	{"op":"panic","message":"…"}    panics
//	{"op":"big","size":N}           returns a string of N bytes
//	{"op":"sleep","ms":N}           sleeps N ms, ignoring its deadline
//	{"op":"trace"}                  returns the trace header it sees
//	{"op":"barrier","n":N}          waits until N invocations run at once
//	{"op":"span","message":"…"}     starts and ends a child span named message
//	                                (default "testfunc.child") from ctx
//	{"op":"log","message":"…"}      logs message through slog's default logger
//	                                at DEBUG, INFO, WARN and ERROR, each line
//	                                with "phase":"before"; with "n":N it then
//	                                waits until N invocations run at once and
//	                                logs the four lines again with
//	                                "phase":"after"
//
// The span and log ops answer with the ids of the span in the handler's
// context (the runtime's lumen.handle span) and the request id, so that a
// test can match the handler's view with the spans a collector received and
// the lines the function wrote.
//
// Every reply carries the process's start id, so a test can tell a process
// that kept serving from one the emulator started again.
//
// TESTFUNC_INIT chooses an init failure instead of serving:
// "invalid-handler" starts with a handler whose signature is invalid,
// "setup-error" with a WithSetup hook that fails. TESTFUNC_MAX_RESPONSE_SIZE
// sets runtime.WithMaxResponseSize, so that a test can make the runtime
// upload a response the Runtime API then refuses. TESTFUNC_SIGTERM=1 enables
// runtime.WithEnableSIGTERM with a callback that prints
// "testfunc: SIGTERM callback ran in instance <id>".
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	// The exporters a test may select through the environment.
	_ "github.com/lumen-rt/lumen/exporters/otlpgrpc"
	_ "github.com/lumen-rt/lumen/exporters/pushgateway"
	_ "github.com/lumen-rt/lumen/exporters/remotewrite"
	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/runtime"
)

// Event is what the tests send.
type Event struct {
	Op      string          `json:"op"`
	Data    json.RawMessage `json:"data,omitempty"`
	Message string          `json:"message,omitempty"`
	Size    int             `json:"size,omitempty"`
	MS      int             `json:"ms,omitempty"`
	N       int             `json:"n,omitempty"`
}

// Reply is what the function answers.
type Reply struct {
	Instance    string          `json:"instance"`
	Invocations int64           `json:"invocations"`
	Echo        json.RawMessage `json:"echo,omitempty"`
	Context     *ContextReply   `json:"context,omitempty"`
	Trace       *TraceReply     `json:"trace,omitempty"`
	Big         string          `json:"big,omitempty"`
	Span        *SpanReply      `json:"span,omitempty"`
}

// SpanReply is the handler's span context and the child span it started.
type SpanReply struct {
	RequestID   string `json:"requestId"`
	TraceID     string `json:"traceId"`     // of the span in ctx, "" if none
	SpanID      string `json:"spanId"`      // of the span in ctx, "" if none
	Sampled     bool   `json:"sampled"`     // whether the span in ctx is sampled
	ChildSpanID string `json:"childSpanId"` // the "span" op's child span
}

// ContextReply is the handler's view of its invocation.
type ContextReply struct {
	RequestID          string                      `json:"requestId"`
	InvokedFunctionARN string                      `json:"invokedFunctionArn"`
	DeadlineMS         int64                       `json:"deadlineMs"`
	HasDeadline        bool                        `json:"hasDeadline"`
	ClientContext      lambdacontext.ClientContext `json:"clientContext"`
	FunctionName       string                      `json:"functionName"`
	FunctionNameEnv    string                      `json:"functionNameEnv"`
	ColdStart          bool                        `json:"coldStart"`
	InfoRequestID      string                      `json:"infoRequestId"`
	InitializationType string                      `json:"initializationType"`
}

// TraceReply is the trace header as the handler sees it.
type TraceReply struct {
	Context    string `json:"context"`    // ctx.Value("x-amzn-trace-id")
	Info       string `json:"info"`       // invocation.Info.TraceHeader
	Env        string `json:"env"`        // _X_AMZN_TRACE_ID
	EnvPresent bool   `json:"envPresent"` // whether _X_AMZN_TRACE_ID is set at all
}

// ValidationError is the typed error the "error" op returns.
type ValidationError struct{ Reason string }

func (e *ValidationError) Error() string { return "validation failed: " + e.Reason }

var (
	instance    = newInstanceID()
	invocations atomic.Int64
	barrier     = newBarrier()
)

func newInstanceID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func handle(ctx context.Context, ev Event) (*Reply, error) {
	r := &Reply{Instance: instance, Invocations: invocations.Add(1)}
	switch ev.Op {
	case "echo":
		r.Echo = ev.Data
	case "context":
		r.Context = contextReply(ctx)
	case "trace":
		r.Trace = traceReply(ctx)
	case "error":
		return nil, &ValidationError{Reason: ev.Message}
	case "panic":
		panic("testfunc: " + ev.Message)
	case "big":
		r.Big = strings.Repeat("x", ev.Size)
	case "sleep":
		time.Sleep(time.Duration(ev.MS) * time.Millisecond)
	case "span":
		r.Span = spanReply(ctx)
		name := ev.Message
		if name == "" {
			name = "testfunc.child"
		}
		_, child := otel.Tracer("testfunc").Start(ctx, name,
			trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attribute.String("testfunc.op", "span")))
		r.Span.ChildSpanID = spanID(child.SpanContext())
		child.End()
	case "log":
		r.Span = spanReply(ctx)
		logLevels(ctx, ev.Message, "before")
		if ev.N > 0 {
			if err := barrier.wait(ctx, ev.N); err != nil {
				return nil, err
			}
			logLevels(ctx, ev.Message, "after")
		}
	case "barrier":
		if err := barrier.wait(ctx, ev.N); err != nil {
			return nil, err
		}
		r.Trace = traceReply(ctx)
	default:
		return nil, errors.New("unknown op " + ev.Op)
	}
	return r, nil
}

func contextReply(ctx context.Context) *ContextReply {
	c := &ContextReply{
		FunctionName:       lambdacontext.FunctionName,
		FunctionNameEnv:    os.Getenv("AWS_LAMBDA_FUNCTION_NAME"),
		InitializationType: os.Getenv("AWS_LAMBDA_INITIALIZATION_TYPE"),
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		c.RequestID, c.InvokedFunctionARN, c.ClientContext = lc.AwsRequestID, lc.InvokedFunctionArn, lc.ClientContext
	}
	if d, ok := ctx.Deadline(); ok {
		c.DeadlineMS, c.HasDeadline = d.UnixMilli(), true
	}
	if info, ok := invocation.FromContext(ctx); ok {
		c.ColdStart, c.InfoRequestID = info.ColdStart, info.RequestID()
	}
	return c
}

func traceReply(ctx context.Context) *TraceReply {
	t := &TraceReply{}
	t.Context, _ = ctx.Value("x-amzn-trace-id").(string)
	if info, ok := invocation.FromContext(ctx); ok {
		t.Info = info.TraceHeader
	}
	t.Env, t.EnvPresent = os.LookupEnv("_X_AMZN_TRACE_ID")
	return t
}

func spanReply(ctx context.Context) *SpanReply {
	sr := &SpanReply{}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		sr.RequestID = lc.AwsRequestID
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		sr.TraceID, sr.SpanID, sr.Sampled = sc.TraceID().String(), spanID(sc), sc.IsSampled()
	}
	return sr
}

func spanID(sc trace.SpanContext) string {
	if !sc.SpanID().IsValid() {
		return ""
	}
	return sc.SpanID().String()
}

// logLevels logs msg once at each of DEBUG, INFO, WARN and ERROR.
func logLevels(ctx context.Context, msg, phase string) {
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		slog.Log(ctx, level, msg, "phase", phase)
	}
}

// barrierState lets n concurrent invocations meet: each waits until n are
// inside at once, which only happens when the runtime runs them concurrently.
type barrierState struct {
	mu      sync.Mutex
	inside  int
	arrived chan struct{}
}

func newBarrier() *barrierState { return &barrierState{arrived: make(chan struct{})} }

func (b *barrierState) wait(ctx context.Context, n int) error {
	b.mu.Lock()
	b.inside++
	ch := b.arrived
	if b.inside >= n {
		close(b.arrived)
		b.inside, b.arrived = 0, make(chan struct{})
	}
	b.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return errors.New("barrier: fewer than n invocations ran at once before the deadline")
	}
}

func main() {
	switch os.Getenv("TESTFUNC_INIT") {
	case "invalid-handler":
		runtime.Start(func(a, b, c int) {})
	case "setup-error":
		runtime.StartWithOptions(handle, runtime.WithSetup(func(context.Context) error {
			return errors.New("testfunc: setup refused to start")
		}))
	default:
		var opts []runtime.Option
		if n, err := strconv.Atoi(os.Getenv("TESTFUNC_MAX_RESPONSE_SIZE")); err == nil {
			opts = append(opts, runtime.WithMaxResponseSize(n))
		}
		if os.Getenv("TESTFUNC_SIGTERM") != "" {
			opts = append(opts, runtime.WithEnableSIGTERM(func() {
				fmt.Println("testfunc: SIGTERM callback ran in instance " + instance)
			}))
		}
		runtime.StartWithOptions(handle, opts...)
	}
}
