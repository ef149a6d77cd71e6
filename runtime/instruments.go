package runtime

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/tracing"
)

// instrumentationName is the tracer name of the runtime's spans.
const instrumentationName = "github.com/lumen-rt/lumen/runtime"

// Names of the runtime's phase spans, children of the invocation span.
const (
	// SpanReceive covers reading the event: from the arrival of the
	// GET /next answer's headers to the last byte of its body. It never
	// includes the wait for the event, which may last hours in a frozen
	// process.
	SpanReceive = "lumen.receive"
	// SpanHandle covers the handler; spans the handler starts from its
	// context are its children.
	SpanHandle = "lumen.handle"
	// SpanPost covers the POST of the response or error document.
	SpanPost = "lumen.post"
	// SpanInit covers the init of a cold start, from the start of the
	// process to the first GET /next, in the first invocation's trace.
	SpanInit = "lumen.init"
)

// instruments is what the loop records: spans on tracer, metrics on rec. Both
// are optional; with neither, an invocation costs two clock reads more.
type instruments struct {
	tracer   trace.Tracer      // nil: no spans
	rec      *metrics.Recorder // nil: no metrics (its methods accept nil)
	cold     *metrics.ColdStartDetector
	function string
	version  string // the function version, for cloud.resource_id
	// started tells the pipeline each invocation's trigger and span, for
	// Lambda's report of it; nil when nothing needs them.
	started  func(requestID string, trigger invocation.Trigger, sc trace.SpanContext)
	initDone time.Time
}

func newInstruments(c *config) *instruments {
	o := &c.options
	t := &instruments{
		rec:      o.metrics,
		cold:     metrics.NewColdStartDetector(metrics.InitType(c.env.Lambda.InitializationType)),
		function: c.env.Lambda.FunctionName,
		version:  c.env.Lambda.FunctionVersion,
	}
	if p := c.pipeline; p != nil && p.TracksInvocations() {
		t.started = p.InvocationStarted
	}
	if t.function == "" {
		t.function = "lambda.invoke"
	}
	if o.tracerProvider != nil {
		t.tracer = o.tracerProvider.Tracer(instrumentationName)
	}
	return t
}

// classify reports whether the event's trigger is needed.
func (t *instruments) classify() bool { return t.tracer != nil || t.rec != nil || t.started != nil }

// markInitDone is called once, just before the first GET /next.
func (t *instruments) markInitDone() {
	t.initDone = time.Now()
	t.cold.InitDone()
}

// observation is one invocation's telemetry, kept in its invoke record. Its
// worker changes it; mu lets the shutdown path end the spans of an
// invocation still in flight, after which the worker leaves them alone.
type observation struct {
	mu          sync.Mutex
	begun       bool // begin ran, end has not
	interrupted bool // ended by the shutdown path
	ev          invocation.Event
	start       metrics.Start
	ctx         context.Context // carries the invocation span
	span        trace.Span      // the invocation span, nil without tracing
	phase       trace.Span      // the handle or post span in progress
	handleStart time.Time       // the handler was called
	handled     time.Time       // the handler returned
	timeout     bool

	errorType string // Lambda errorType of the failure posted, empty on success
	err       error  // the failure's cause, for the spans
	respBytes int64  // size of the response or error document, -1 if unknown
	// outcome is what a successful response says for its trigger: the
	// HTTP status, the batch items it reports failed.
	outcome invocation.Outcome
}

// begin starts an invocation's telemetry once its headers are read: it
// classifies the event and starts the invocation and receive spans with the
// Lambda trace header's Parent as remote parent.
func (t *instruments) begin(base context.Context, inv *invoke, info *invocation.Info) context.Context {
	o := &inv.obs
	o.mu.Lock()
	defer o.mu.Unlock()
	o.begun = true
	o.start = t.cold.Start()
	info.ColdStart = o.start.ColdStart()
	o.respBytes = -1
	t.rec.InvocationStarted()
	if !t.classify() {
		return base
	}
	o.ev = invocation.Classify(inv.payload.Bytes())
	info.Trigger, info.Source = o.ev.Trigger, o.ev.Source
	if t.tracer == nil {
		if t.started != nil {
			t.started(info.RequestID(), o.ev.Trigger, trace.SpanContext{})
		}
		return base
	}
	ctx := base
	if info.XRay.Root != "" {
		ctx = tracing.ContextWithRemoteParent(ctx, info.XRay)
	} else if len(o.ev.Headers.Keys()) > 0 {
		// No Lambda parent: continue the caller's trace, if its headers
		// carry one the configured propagators understand.
		ctx = otel.GetTextMapPropagator().Extract(ctx, o.ev.Headers)
	}
	// The SDK copies the attributes and options at Start: the buffers go
	// back to the pool right after.
	sc := scratchPool.Get().(*spanScratch)
	sc.attrs = tracing.AppendAttributes(sc.attrs[:0], info, o.ev, t.version)
	arrived := trace.WithTimestamp(inv.arrived) // the invocation's and the receive span's start
	sc.opts = append(sc.opts[:0], spanKindOption(o.ev.Kind), arrived, trace.WithAttributes(sc.attrs...))
	if len(o.ev.Links) > 0 {
		sc.opts = append(sc.opts, trace.WithLinks(o.ev.Links...))
	}
	o.ctx, o.span = t.tracer.Start(ctx, o.ev.SpanName(t.function), sc.opts...)
	clear(sc.attrs) // keep nothing of this invocation alive in the pool
	clear(sc.opts)
	scratchPool.Put(sc)
	if o.start.ColdStart() && !t.initDone.IsZero() {
		// The init is a sibling of the invocation under Lambda's segment,
		// as X-Ray shows Lambda's own Initialization; without a Lambda
		// parent it is the invocation's child, so that it stays in the
		// first invocation's trace.
		initCtx := ctx
		if !trace.SpanContextFromContext(ctx).IsValid() {
			initCtx = o.ctx
		}
		_, init := t.tracer.Start(initCtx, SpanInit, trace.WithTimestamp(t.initDone.Add(-o.start.InitDuration)))
		init.End(trace.WithTimestamp(t.initDone))
	}
	_, recv := t.tracer.Start(o.ctx, SpanReceive, arrived)
	recv.End(trace.WithTimestamp(inv.received))
	if t.started != nil {
		t.started(info.RequestID(), o.ev.Trigger, o.span.SpanContext())
	}
	return o.ctx
}

// spanScratch holds the buffers begin builds the invocation span's start
// options in.
type spanScratch struct {
	attrs []attribute.KeyValue
	opts  []trace.SpanStartOption
}

var scratchPool = sync.Pool{New: func() any {
	return &spanScratch{attrs: make([]attribute.KeyValue, 0, 16), opts: make([]trace.SpanStartOption, 0, 4)}
}}

// spanKindOptions are the WithSpanKind options of every span kind, made
// once: an option made per invocation is an allocation.
var spanKindOptions = func() (opts [trace.SpanKindConsumer + 1]trace.SpanStartOption) {
	for k := range opts {
		opts[k] = trace.WithSpanKind(trace.SpanKind(k))
	}
	return opts
}()

func spanKindOption(k trace.SpanKind) trace.SpanStartOption {
	if k >= 0 && int(k) < len(spanKindOptions) {
		return spanKindOptions[k]
	}
	return trace.WithSpanKind(k)
}

// startHandle starts the handle span; the handler's context carries it.
func (t *instruments) startHandle(ctx context.Context, o *observation) context.Context {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.handleStart = time.Now()
	if o.span == nil || o.interrupted {
		return ctx
	}
	ctx, o.phase = t.tracer.Start(ctx, SpanHandle)
	return ctx
}

// handled ends the handle span with the handler's failure, if any.
func (t *instruments) handled(o *observation, f *failure, deadline time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.handled = time.Now()
	o.timeout = !deadline.IsZero() && o.handled.After(deadline)
	if f != nil {
		o.errorType, o.err = f.doc.Type, f.cause
	}
	if o.phase != nil {
		recordFailure(o.phase, o.errorType, o.err)
		o.phase.End(trace.WithTimestamp(o.handled))
		o.phase = nil
	}
	t.rec.ObservePhase(metrics.PhaseHandle, o.handled.Sub(o.handleStart))
}

// startPost starts the post span.
func (t *instruments) startPost(o *observation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.span != nil && !o.interrupted {
		_, o.phase = t.tracer.Start(o.ctx, SpanPost)
	}
}

// failed records the failure a post reported (a handler error, a response
// too large, an invalid header).
func (o *observation) failed(f *failure) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.errorType, o.err = f.doc.Type, f.cause
}

// end finishes the invocation: it ends the post and invocation spans and
// records the invocation's metrics.
func (t *instruments) end(inv *invoke) {
	o := &inv.obs
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.interrupted {
		o.reset()
		return
	}
	now := time.Now()
	var ended trace.SpanEndOption
	if o.phase != nil || o.span != nil {
		ended = trace.WithTimestamp(now) // one option for both spans
	}
	if o.phase != nil {
		recordFailure(o.phase, "", nil)
		o.phase.End(ended)
		o.phase = nil
	}
	if !o.handled.IsZero() {
		t.rec.ObservePhase(metrics.PhasePost, now.Sub(o.handled))
	}
	if o.span != nil {
		if o.errorType == "" && o.err == nil {
			recordOutcome(o.span, o.outcome)
		}
		recordFailure(o.span, o.errorType, o.err)
		o.span.End(ended)
	}
	if t.rec != nil {
		failures := o.outcome.BatchItemFailures
		if o.errorType != "" {
			failures = -1 // the whole batch goes back to the source
		}
		t.rec.RecordInvocation(metrics.InvocationResult{
			Trigger:           o.ev.Trigger,
			Duration:          now.Sub(inv.arrived),
			ErrorType:         o.errorType,
			Timeout:           o.timeout,
			Start:             o.start,
			RequestBytes:      int64(inv.payload.Len()),
			ResponseBytes:     o.respBytes,
			BatchItems:        o.ev.BatchSize,
			BatchItemFailures: failures,
		})
	}
	o.reset()
}

// reset clears the observation for the next use, keeping its mutex.
func (o *observation) reset() {
	o.begun, o.interrupted, o.ev, o.start, o.ctx, o.span, o.phase = false, false, invocation.Event{}, metrics.Start{}, nil, nil, nil
	o.handleStart, o.handled, o.timeout = time.Time{}, time.Time{}, false
	o.errorType, o.err, o.respBytes = "", nil, 0
	o.outcome = invocation.Outcome{}
}

// responded records what a successful buffered response says for the
// invocation's trigger; it reads nothing for the triggers whose responses
// say nothing.
func (o *observation) responded(body []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.begun && (o.ev.BatchSize > 0 || isHTTP(o.ev.Source)) {
		o.outcome = invocation.ReadOutcome(o.ev.Source, body)
	}
}

func isHTTP(s invocation.Source) bool {
	switch s {
	case invocation.SourceAPIGatewayREST, invocation.SourceAPIGatewayHTTP, invocation.SourceFunctionURL, invocation.SourceALB:
		return true
	}
	return false
}

// Attributes an invocation span gets from its response.
const (
	// AttrBatchItemFailures is the number of records of an SQS, Kinesis
	// or DynamoDB Streams batch that the handler's partial batch response
	// reported failed (batchItemFailures).
	AttrBatchItemFailures = attribute.Key("aws.lambda.batch_item_failures")
)

// recordOutcome puts a successful response's outcome on the invocation
// span: http.response.status_code, with an error status for a 5xx as the
// HTTP server conventions say, and the batch items that failed.
func recordOutcome(span trace.Span, o invocation.Outcome) {
	if o.StatusCode > 0 {
		span.SetAttributes(semconv.HTTPResponseStatusCode(o.StatusCode))
		if o.StatusCode >= 500 {
			code := strconv.Itoa(o.StatusCode)
			span.SetAttributes(semconv.ErrorTypeKey.String(code))
			span.SetStatus(codes.Error, "HTTP "+code)
		}
	}
	if o.BatchItemFailures >= 0 {
		span.SetAttributes(AttrBatchItemFailures.Int(o.BatchItemFailures))
	}
}

// ErrorTypeInterrupted is the errorType the spans and metrics of an
// invocation still in flight when Lambda shuts the environment down are
// recorded with: its handler had not returned, and no response was posted.
const ErrorTypeInterrupted = "Runtime.Interrupted"

// The errors recorded on an interrupted invocation's spans.
var (
	errInterrupted = errors.New("interrupted: Lambda shut the environment down while the invocation was in flight")
	errTimedOut    = errors.New("timed out: Lambda reset the environment after the invocation's deadline")
)

// interrupt ends the telemetry of an invocation still in flight at
// shutdown: its open phase and invocation spans end now, marked interrupted
// (status error, lumen.interrupted, error.type Runtime.Interrupted, or
// Sandbox.Timedout and a timeout in the metrics when its deadline has
// passed), and its metrics are recorded, so that the final flush carries
// them. The worker leaves the observation alone afterwards.
func (t *instruments) interrupt(inv *invoke) {
	o := &inv.obs
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.interrupted || !o.begun {
		return
	}
	o.interrupted = true
	now := time.Now()
	// Past its deadline, the invocation timed out: Lambda resets the
	// environment of a timed-out invocation, which is what interrupts it.
	errorType, cause := ErrorTypeInterrupted, errInterrupted
	timeout := !inv.info.Deadline.IsZero() && now.After(inv.info.Deadline)
	if timeout {
		errorType, cause = metrics.ErrorTypeTimeout, errTimedOut
	}
	ended := trace.WithTimestamp(now)
	for _, s := range [...]trace.Span{o.phase, o.span} {
		if s != nil {
			s.SetAttributes(attribute.Bool("lumen.interrupted", true))
			recordFailure(s, errorType, cause)
			s.End(ended)
		}
	}
	if t.rec != nil {
		t.rec.RecordInvocation(metrics.InvocationResult{
			Trigger:           o.ev.Trigger,
			Duration:          now.Sub(inv.arrived),
			ErrorType:         errorType,
			Timeout:           timeout,
			Start:             o.start,
			RequestBytes:      int64(inv.payload.Len()),
			ResponseBytes:     -1,
			BatchItems:        o.ev.BatchSize,
			BatchItemFailures: -1,
		})
	}
}

// recordFailure marks span as failed with the Lambda errorType.
func recordFailure(span trace.Span, errorType string, err error) {
	if errorType == "" && err == nil {
		return
	}
	if err != nil {
		span.RecordError(err)
	}
	if errorType == "" {
		errorType = "Function.Unknown"
	}
	span.SetAttributes(semconv.ErrorTypeKey.String(errorType))
	msg := errorType
	if err != nil {
		msg = err.Error()
	}
	var pe *PanicError
	if errors.As(err, &pe) {
		span.SetAttributes(attribute.Bool("lumen.panic", true))
	}
	span.SetStatus(codes.Error, msg)
}
