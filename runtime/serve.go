package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/logging"
)

// traceIDKey is the context key aws-lambda-go and the X-Ray SDK read the
// trace header from.
const traceIDKey = "x-amzn-trace-id"

// serve handles one event: it builds the handler's context (newInfo and the
// context values), calls the handler (the handle phase: call) and posts the
// outcome (the post phase: respond, or fail for errors and panics). It
// returns the invocation's deadline for the flush point, and an error only
// when the runtime must stop.
func (r *runner) serve(inv *invoke) (time.Time, error) {
	defer putBuffer(inv.payload)
	if inv.id == "" {
		r.cfg.handleError(fmt.Errorf("runtime API GET next: event without %s header, nothing to answer", headerRequestID))
		return time.Time{}, nil
	}
	info, infoErr := r.newInfo(inv)
	// The invocation span and metrics start now, so that an invocation
	// failed by its own headers is recorded too.
	spanCtx := r.tel.begin(r.cfg.base, inv, info)
	defer r.tel.end(inv)
	if infoErr != nil {
		r.tel.startPost(&inv.obs)
		return info.Deadline, r.fail(inv, newFailure(infoErr))
	}
	ctx, cancel := context.WithDeadline(spanCtx, info.Deadline)
	defer cancel()
	ctx = lambdacontext.NewContext(ctx, &info.Lambda)
	ctx = invocation.NewContext(ctx, info)
	//lint:ignore SA1029 aws-lambda-go's string key, kept for drop-in compatibility.
	ctx = context.WithValue(ctx, traceIDKey, info.TraceHeader)
	if r.setEnv {
		_ = os.Setenv(envTraceID, info.TraceHeader)
	}

	ctx = r.tel.startHandle(ctx, &inv.obs)
	if r.setEnv {
		// One invocation at a time: lines logged without a context (the
		// log package, slog.Info) carry this one, until it is posted.
		logging.SetCurrent(ctx)
		defer logging.ClearCurrent()
	}
	res, f := r.call(ctx, inv.payload.Bytes())
	r.tel.handled(&inv.obs, f, info.Deadline)
	r.tel.startPost(&inv.obs)
	if f != nil {
		if err := r.fail(inv, *f); err != nil {
			return info.Deadline, err
		}
		if f.doc.ShouldExit {
			return info.Deadline, f.cause
		}
		return info.Deadline, nil
	}
	return info.Deadline, r.respond(inv, res)
}

// newInfo reads the invocation's headers into inv.info.
func (r *runner) newInfo(inv *invoke) (*invocation.Info, error) {
	h := inv.header
	info := &inv.info
	info.TraceHeader = h.Get(headerTraceID)
	info.XRay, info.Trigger, info.Source = invocation.XRayHeader{}, invocation.TriggerOther, invocation.SourceUnknown
	if info.TraceHeader != "" {
		// Parsed once: tracing, logging and the exporters read it here.
		// A malformed header leaves the invocation without a Lambda parent.
		info.XRay, _ = invocation.ParseXRayHeader(info.TraceHeader)
	}
	info.ContentType = h.Get("Content-Type")
	info.Lambda.AwsRequestID = inv.id
	info.Lambda.InvokedFunctionArn = h.Get(headerFunctionARN)
	info.Lambda.TenantID = h.Get(headerTenantID)
	var err error
	if info.Deadline, err = parseDeadline(h.Get(headerDeadlineMS)); err != nil {
		return info, err
	}
	if err := parseClientContext(h.Get(headerClientContext), &info.Lambda.ClientContext); err != nil {
		return info, err
	}
	if err := parseCognitoIdentity(h.Get(headerCognitoIdentity), &info.Lambda.Identity); err != nil {
		return info, err
	}
	return info, nil
}

// call runs the handler, turning an error or a panic into a failure.
func (r *runner) call(ctx context.Context, payload []byte) (res result, f *failure) {
	defer func() {
		if v := recover(); v != nil {
			pf := newPanicFailure(v, panicStack(2))
			pf.doc.ShouldExit = true
			f = &pf
		}
	}()
	res, err := r.handler(ctx, payload)
	if err != nil {
		ff := newFailure(err)
		return result{}, &ff
	}
	return res, nil
}

// respond posts a result: buffered, or streamed.
func (r *runner) respond(inv *invoke, res result) error {
	id := inv.id
	if res.stream != nil {
		mid, err := r.client.postStream(id, res.stream, res.contentType)
		if mid != nil {
			inv.obs.failed(mid)
			r.logFailure(inv, mid)
		}
		return r.postOutcome(id, err)
	}
	if res.buf != nil {
		defer putBuffer(res.buf)
	}
	if n := len(res.body); n > r.cfg.maxResponseSize {
		return r.fail(inv, newFailure(&ResponseTooLargeError{Size: n, Limit: r.cfg.maxResponseSize}))
	}
	inv.obs.respBytes = int64(len(res.body))
	inv.obs.responded(res.body)
	err := r.client.postResponse(id, res.body, res.contentType)
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.StatusCode == http.StatusRequestEntityTooLarge {
		// The 413 ends the invocation: the invoker already gets
		// Function.ResponseSizeTooLarge, and the Runtime API refuses any
		// further post for it. Record the failure; keep serving.
		f := newFailure(&ResponseTooLargeError{Size: len(res.body), Err: apiErr})
		inv.obs.failed(&f)
		r.logFailure(inv, &f)
		return nil
	}
	return r.postOutcome(id, err)
}

// fail posts a failed invocation.
func (r *runner) fail(inv *invoke, f failure) error {
	inv.obs.failed(&f)
	r.logFailure(inv, &f)
	return r.postOutcome(inv.id, r.client.postError(inv.id, &f))
}

// logFailure logs a failed invocation in the invocation's context, so that
// the line carries its request, trace and span ids.
func (r *runner) logFailure(inv *invoke, f *failure) {
	ctx := inv.obs.ctx
	if ctx == nil {
		ctx = r.cfg.base
	}
	ctx = invocation.NewContext(ctx, &inv.info)
	level := slog.LevelError
	if f.doc.ShouldExit {
		level = logging.LevelFatal // a panic: the process exits after the flush
	}
	r.cfg.log().Log(ctx, level, "invocation failed", "errorType", f.doc.Type, "errorMessage", f.doc.Message)
}

// postOutcome decides what a post's error means for the loop: Runtime API
// refusals the protocol survives (400 after a timeout, 403, 413) are reported
// and the loop goes on; 500 and transport failures stop it, as the Runtime
// API reference asks.
func (r *runner) postOutcome(id string, err error) error {
	if err == nil {
		return nil
	}
	if apiErr, ok := errors.AsType[*APIError](err); ok && !apiErr.Fatal() {
		r.cfg.handleError(fmt.Errorf("invocation %s: %w", id, err))
		return nil
	}
	return err
}
