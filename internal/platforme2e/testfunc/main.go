// Command testfunc is the Lambda function the platform integration tests
// run under the Runtime Interface Emulator. It is runtime.Start as it is,
// with package platform wired in by hand the way the runtime is to do it:
//
//  1. before runtime.Start (so before the first GET /next) it registers an
//     internal extension with {"events":[]}, subscribes a platform.Platform
//     with that extension's identifier, then parks the extension on
//     GET /extension/event/next;
//  2. a span processor calls Platform.Started with each invocation span's
//     request id, faas.trigger and span context as the span starts;
//  3. its one flusher calls Platform.ForceFlush, then the tracer
//     provider's ForceFlush (spans go over OTLP/HTTP to
//     OTEL_EXPORTER_OTLP_ENDPOINT);
//  4. its SIGTERM callback calls Platform.Shutdown, before the runtime's
//     final flush.
//
// What the Platform hands its metrics sink is printed, one line per event:
// "platformfunc: metric {json}"; the Subscribe result, every background
// error and SIGTERM: "platformfunc: subscribe: …", "platformfunc: error:
// …", "platformfunc: SIGTERM".
//
// Events: {"op":"echo"} answers the request id; {"op":"error"} fails with
// a *ValidationError; any other payload (an API Gateway request, say) is
// echoed the same way.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/platform"
	"github.com/lumen-rt/lumen/runtime"
)

// shutdownWait is how long the SIGTERM callback lets Platform.Shutdown wait
// for the last report: a third of the runtime's shutdown budget.
const shutdownWait = runtime.DefaultShutdownBudget / 3

// ValidationError is the typed error the "error" op returns.
type ValidationError struct{ Reason string }

func (e *ValidationError) Error() string { return "invalid: " + e.Reason }

// Reply is what the function answers.
type Reply struct {
	RequestID string `json:"requestId"`
}

func main() {
	ctx := context.Background()
	api := os.Getenv("AWS_LAMBDA_RUNTIME_API")

	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		fail(err)
	}
	tp := sdktrace.NewTracerProvider(
		// Nothing leaves on the processor's own schedule: only flushes.
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Hour)),
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
	)
	p := platform.New(
		platform.WithTracerProvider(tp),
		platform.WithMetricsSink(printSink{}),
		platform.WithErrorHandler(func(err error) { fmt.Println("platformfunc: error:", err) }),
	)
	tp.RegisterSpanProcessor(&tracker{p: p})

	id, err := register(ctx, api)
	if err != nil {
		fail(err)
	}
	err = p.Subscribe(ctx, api, id, nil)
	fmt.Printf("platformfunc: subscribe: %v (not supported: %t)\n", err, errors.Is(err, platform.ErrNotSupported))
	go park(ctx, api, id)

	runtime.StartWithOptions(handle,
		runtime.WithoutTelemetry(),
		// Hiding ForceFlush keeps the runtime from registering the
		// provider as a flusher of its own: it is flushed by flushFirst,
		// after the Platform.
		runtime.WithTracerProvider(struct{ trace.TracerProvider }{tp}),
		runtime.WithFlusher(flushFirst{p: p, tp: tp}),
		runtime.WithEnableSIGTERM(func() {
			fmt.Println("platformfunc: SIGTERM")
			ctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
			defer cancel()
			if err := p.Shutdown(ctx); err != nil {
				fmt.Println("platformfunc: shutdown:", err)
			}
		}),
	)
}

func handle(ctx context.Context, ev json.RawMessage) (Reply, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	var op struct {
		Op string `json:"op"`
	}
	_ = json.Unmarshal(ev, &op)
	if op.Op == "error" {
		return Reply{}, &ValidationError{Reason: lc.AwsRequestID}
	}
	return Reply{RequestID: lc.AwsRequestID}, nil
}

// flushFirst flushes the Platform, then the tracer provider.
type flushFirst struct {
	p  *platform.Platform
	tp *sdktrace.TracerProvider
}

func (f flushFirst) ForceFlush(ctx context.Context) error {
	return errors.Join(f.p.ForceFlush(ctx), f.tp.ForceFlush(ctx))
}

// tracker feeds Platform.Started from the invocation spans as they start:
// the runtime's spans that carry faas.invocation_id.
type tracker struct{ p *platform.Platform }

func (t *tracker) OnStart(_ context.Context, s sdktrace.ReadWriteSpan) {
	var id string
	trigger := invocation.TriggerOther
	for _, kv := range s.Attributes() {
		switch kv.Key {
		case semconv.FaaSInvocationIDKey:
			id = kv.Value.AsString()
		case semconv.FaaSTriggerKey:
			trigger = invocation.ParseTrigger(kv.Value.AsString())
		}
	}
	if id != "" && s.Name() != platform.SpanReport {
		t.p.Started(id, trigger, s.SpanContext())
	}
}

func (*tracker) OnEnd(sdktrace.ReadOnlySpan)      {}
func (*tracker) Shutdown(context.Context) error   { return nil }
func (*tracker) ForceFlush(context.Context) error { return nil }

var _ sdktrace.SpanProcessor = (*tracker)(nil)

// printSink prints each event it is handed.
type printSink struct{}

var _ platform.MetricsSink = printSink{}

func (printSink) RecordReport(r platform.Report)               { emit("report", r) }
func (printSink) RecordInitReport(r platform.InitReport)       { emit("initReport", r) }
func (printSink) RecordRuntimeDone(r platform.RuntimeDone)     { emit("runtimeDone", r) }
func (printSink) RecordRestoreReport(r platform.RestoreReport) { emit("restoreReport", r) }

// Metric is one line printed by printSink: the event, its durations in
// milliseconds.
type Metric struct {
	Kind               string  `json:"kind"`
	RequestID          string  `json:"requestId,omitempty"`
	Status             string  `json:"status,omitempty"`
	ErrorType          string  `json:"errorType,omitempty"`
	Trigger            string  `json:"trigger,omitempty"`
	DurationMs         float64 `json:"durationMs"`
	InitializationType string  `json:"initializationType,omitempty"`
	Spans              int     `json:"spans"`
}

func emit(kind string, ev any) {
	m := Metric{Kind: kind}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	switch r := ev.(type) {
	case platform.Report:
		m.RequestID, m.Status, m.ErrorType, m.Trigger, m.DurationMs, m.Spans = r.RequestID, string(r.Status), r.ErrorType, r.Trigger.String(), ms(r.Duration), len(r.Spans)
	case platform.RuntimeDone:
		m.RequestID, m.Status, m.ErrorType, m.Trigger, m.DurationMs, m.Spans = r.RequestID, string(r.Status), r.ErrorType, r.Trigger.String(), ms(r.Duration), len(r.Spans)
	case platform.InitReport:
		m.Status, m.ErrorType, m.DurationMs, m.InitializationType, m.Spans = string(r.Status), r.ErrorType, ms(r.Duration), r.InitializationType, len(r.Spans)
	case platform.RestoreReport:
		m.Status, m.ErrorType, m.DurationMs, m.Spans = string(r.Status), r.ErrorType, ms(r.Duration), len(r.Spans)
	}
	line, _ := json.Marshal(m)
	fmt.Printf("platformfunc: metric %s\n", line)
}

// register registers the internal extension and returns its identifier.
func register(ctx context.Context, api string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+api+"/2020-01-01/extension/register",
		bytes.NewReader([]byte(`{"events":[]}`)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Lambda-Extension-Name", "lumen-platform")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("register: HTTP %d: %s", resp.StatusCode, body)
	}
	return resp.Header.Get("Lambda-Extension-Identifier"), nil
}

// park waits on /extension/event/next: with no events subscribed Lambda
// never answers, and the call is what makes the extension ready.
func park(ctx context.Context, api, id string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+api+"/2020-01-01/extension/event/next", nil)
	if err != nil {
		return
	}
	req.Header.Set("Lambda-Extension-Identifier", id)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func fail(err error) {
	fmt.Println("platformfunc: init failed:", err)
	os.Exit(1)
}
