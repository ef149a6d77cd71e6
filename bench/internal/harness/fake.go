package harness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

// Run is where and how a variant's binary runs.
type Run struct {
	Variant Variant
	// Bin is the variant's binary.
	Bin string
	// Sink takes the instrumented variants' exports.
	Sink *Sink
	// LogDir holds the function's output, one file per run.
	LogDir string
	// Env is added to the function's environment.
	Env []string
}

func (r Run) env(runtimeAPI string) []string {
	endpoint := ""
	if r.Variant.Instrumented && r.Sink != nil {
		endpoint = r.Sink.Endpoint()
	}
	extra := append(append([]string(nil), r.Variant.Env...), r.Env...)
	if r.Variant.XRay && r.Sink != nil {
		extra = append(extra, "AWS_XRAY_DAEMON_ADDRESS="+r.Sink.XRayAddress())
	}
	return FunctionEnv(runtimeAPI, endpoint, extra...)
}

func (r Run) logPath(mode string, p Plan) string {
	return filepath.Join(r.LogDir, fmt.Sprintf("%s-%s-%d.log", r.Variant.Name, mode, len(p.Event)))
}

// errExited is the cause of a run's context when the function exits.
var errExited = errors.New("the function exited")

// watch returns ctx, cancelled when c exits.
func watch(ctx context.Context, c *Child) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	go func() {
		select {
		case <-c.Exited():
			cancel(fmt.Errorf("%w:\n%s", errExited, c.Output()))
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancel(context.Canceled) }
}

// MeasureFake runs r's binary against a fresh fake Runtime API
// (runtime/runtimetest) and measures p. Once the function is back in
// GET /next, where Lambda would freeze it, it ends the process with
// SIGTERM, as Lambda does, and notes in the sample's Delivery what its
// telemetry had delivered at that point and after the final flush.
func MeasureFake(ctx context.Context, r Run, p Plan) (Sample, error) {
	// The record of requests tells when the function is back in GET /next
	// after the run: where Lambda freezes it, and where SIGTERM finds it.
	srv := runtimetest.NewServer()
	defer srv.Close()
	var begin SinkCounts
	if r.Sink != nil {
		r.Sink.resetInvocations()
		begin = r.Sink.Counts()
	}
	logPath := r.logPath("fake", p)
	child, err := StartChild(r.Bin, nil, r.env(srv.Addr()), logPath)
	if err != nil {
		return Sample{}, err
	}
	ctx, cancel := watch(ctx, child)
	defer cancel()
	s, err := measure(ctx, fakeInvoker{srv}, r.Variant, p, r.Sink)
	if err != nil {
		_ = child.Stop()
		return s, fmt.Errorf("%s against the fake Runtime API: %w\n%s", r.Variant.Name, err, child.Output())
	}
	// Lambda freezes a function that waits for its next event, and later
	// sends SIGTERM to it there.
	pollCtx, stopPoll := context.WithTimeout(ctx, 10*time.Second)
	err = srv.Await(pollCtx, runtimetest.Polling(1))
	stopPoll()
	if err != nil {
		_ = child.Stop()
		return s, fmt.Errorf("%s: waiting for GET /next after the run: %w", r.Variant.Name, err)
	}
	var atEnd SinkCounts
	if r.Sink != nil {
		atEnd = r.Sink.Counts().Sub(begin)
	}
	exited := child.Terminate(shutdownGrace)
	if r.Sink != nil && r.Variant.Exports.Any() {
		served := int64(max(p.Warm, 1) + p.N + 2)
		d := &Delivery{Served: served, Logged: served - 2, Exited: exited}
		d.AtEnd = arrived(r.Variant, atEnd, "")
		d.AtExit = arrived(r.Variant, r.Sink.Counts().Sub(begin), logPath)
		if r.Variant.Exports.EMF {
			d.AtEnd.Metrics = -1 // stdout is read once, after the exit
		}
		s.Delivery = d
	}
	return s, nil
}

// shutdownGrace is how long a function has after SIGTERM: Lambda's 500 ms
// for a runtime with an internal extension, and some room for a loaded
// machine.
const shutdownGrace = 2 * time.Second

type fakeInvoker struct{ srv *runtimetest.Server }

func (f fakeInvoker) invoke(ctx context.Context, event []byte) ([]byte, error) {
	res, err := f.srv.Invoke(ctx, event)
	if err != nil {
		if c := context.Cause(ctx); c != nil {
			return nil, c
		}
		return nil, err
	}
	if res.Failed() || res.Status != http.StatusAccepted {
		return nil, fmt.Errorf("runtime posted %s (status %d): %.300s", res.Endpoint, res.Status, res.Body)
	}
	return res.Body, nil
}
