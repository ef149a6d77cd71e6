package dashboards_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumen-rt/lumen/internal/promtest"
	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

// The functions of the emulated fleet, and how their metrics leave.
const (
	// pushedFunction's environments push to the Pushgateway.
	pushedFunction = "orders"
	// writtenFunction's environments write to Prometheus's remote write
	// receiver.
	writtenFunction = "thumbnails"
)

// Timing of the emulated fleet.
const (
	// flushBudget is every environment's LUMEN_FLUSH_BUDGET: the OTLP
	// exporter, pointed at a backend that never answers, overruns it at
	// every flush.
	flushBudget = 100 * time.Millisecond
	// managedTimeout is the function timeout (whole seconds) of the
	// managed-instances environments, and inFlight the invocation each of
	// their rounds keeps running meanwhile, shorter than the timeout.
	managedTimeout = 2
	inFlight       = 1200 * time.Millisecond
	// timedOut is the sleep of the invocation that times out.
	timedOut = managedTimeout*time.Second + 500*time.Millisecond
)

// envSpec is one execution environment of the fleet.
type envSpec struct {
	fn       string
	instance string // the end of its log stream name
	// managed runs it under the emulator's managed-instances mode with two
	// workers: invocations overlap, and a timed-out one leaves the runtime
	// running. Classic environments start cold.
	managed bool
}

// fleetSpecs are the fleet: per function a classic environment (cold
// starts) and a managed-instances one (invocations in flight at a flush,
// timeouts the runtime survives, as Lambda Managed Instances do).
var fleetSpecs = []envSpec{
	{fn: pushedFunction, instance: strings.Repeat("a", 32)},
	{fn: pushedFunction, instance: strings.Repeat("b", 32), managed: true},
	{fn: writtenFunction, instance: strings.Repeat("c", 32)},
	{fn: writtenFunction, instance: strings.Repeat("d", 32), managed: true},
}

// fleetEnv is a running environment.
type fleetEnv struct {
	envSpec
	em *rie.Emulator
}

// startFleet builds the test function and starts every environment of
// fleetSpecs under the real emulator. Each delivers through its real
// exporter (the Pushgateway or remote write) and, so that the telemetry
// health panels have something to show, through two broken ones: the other
// of the two, pointed at a backend that refuses every request (failed
// flushes, dropped series), and OTLP, pointed at one that never answers
// (overrun flushes). Everything stops when t ends, the environments with
// SIGTERM.
func startFleet(t *testing.T, stack *promtest.Stack) []*fleetEnv {
	t.Helper()
	testenv.Tool(t, rie.ToolName)
	bin := testenv.BuildBinary(t, "./internal/e2e/testfunc")
	refusing := startRefusing(t)
	silent := startSilent(t)
	var envs []*fleetEnv
	for _, s := range fleetSpecs {
		env := []string{
			"AWS_LAMBDA_LOG_STREAM_NAME=2026/11/29/[$LATEST]" + s.instance,
			"LUMEN_FLUSH_BUDGET=" + flushBudget.String(),
			"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=" + silent + "/v1/metrics",
			"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf",
		}
		if s.fn == pushedFunction {
			env = append(env, "LUMEN_METRICS_EXPORTER=pushgateway,remotewrite,otlp",
				"LUMEN_PUSHGATEWAY_URL="+stack.PushgatewayURL,
				"LUMEN_REMOTE_WRITE_URL="+refusing+"/api/v1/write")
		} else {
			env = append(env, "LUMEN_METRICS_EXPORTER=remotewrite,pushgateway,otlp",
				"LUMEN_REMOTE_WRITE_URL="+stack.RemoteWriteURL,
				"LUMEN_PUSHGATEWAY_URL="+refusing)
		}
		opts := []rie.Option{rie.WithFunctionName(s.fn), rie.WithEnv(env...)}
		var em *rie.Emulator
		if s.managed {
			// The emulator serves a Telemetry API in this mode only.
			opts = append(opts, rie.WithEnv("LUMEN_PLATFORM_TELEMETRY=true"))
			em = rie.StartManaged(t, bin, append(opts, rie.WithMaxConcurrency(2), rie.WithTimeout(managedTimeout))...)
		} else {
			em = rie.StartClassic(t, bin, opts...)
		}
		envs = append(envs, &fleetEnv{envSpec: s, em: em})
	}
	return envs
}

// Events of a round. Their shapes make the runtime infer the trigger: an
// API Gateway request (http), an SQS batch (pubsub), a scheduled
// EventBridge event (timer), anything else (other).
var (
	eventPlain     = `{"op":"echo","data":1}`
	eventHTTP      = `{"op":"echo","httpMethod":"POST","path":"/orders","resource":"/orders","requestContext":{"stage":"prod"}}`
	eventSQS       = `{"op":"echo","Records":[{"eventSource":"aws:sqs","messageId":"m1","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:jobs","body":"{}"}]}`
	eventScheduled = `{"op":"echo","detail-type":"Scheduled Event","source":"aws.events","id":"e1","time":"2026-11-29T00:00:00Z","version":"0"}`
	eventTyped     = `{"op":"error","message":"bad input"}`
	eventPlainErr  = `{"op":"no-such-op"}`
	eventBadJSON   = `{"op":5}`
	// eventOversized fails with Function.ResponseSizeTooLarge; building
	// its 7 MB reply also gives the garbage collector work.
	eventOversized = `{"op":"big","size":7000000}`
)

// round runs round n of invocations in e: successes of every trigger,
// errors of several types, one oversized response. A managed environment
// keeps one more invocation in flight meanwhile; in the middle round of
// rounds that one times out.
func (e *fleetEnv) round(ctx context.Context, n, rounds int) error {
	events := []string{eventPlain, eventHTTP, eventSQS, eventScheduled, eventTyped, eventOversized}
	if n%2 == 0 {
		events = append(events, eventPlainErr)
	} else {
		events = append(events, eventBadJSON)
	}
	var (
		background sync.WaitGroup
		bgErr      error
	)
	if e.managed {
		sleep := inFlight
		if n == rounds/2 {
			sleep = timedOut
		}
		background.Go(func() {
			_, bgErr = e.em.Invoke(ctx, fmt.Appendf(nil, `{"op":"sleep","ms":%d}`, sleep.Milliseconds()), nil)
		})
	}
	var errs []error
	for _, ev := range events {
		resp, err := e.em.Invoke(ctx, []byte(ev), nil)
		switch {
		case err != nil:
			errs = append(errs, err)
		case resp.Status != http.StatusOK && !(e.managed && resp.FunctionError() != ""):
			errs = append(errs, fmt.Errorf("%s: status %d: %.200s", ev, resp.Status, resp.Body))
		}
	}
	background.Wait()
	if bgErr != nil {
		errs = append(errs, bgErr)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s/%s round %d: %w", e.fn, e.instance, n, err)
	}
	return nil
}

// runRound runs round n in every environment at once.
func runRound(ctx context.Context, envs []*fleetEnv, n, rounds int) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, e := range envs {
		wg.Go(func() {
			if err := e.round(ctx, n, rounds); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// instances returns the environment ids of fn.
func instances(envs []*fleetEnv, fn string) []string {
	var out []string
	for _, e := range envs {
		if e.fn == fn {
			out = append(out, e.instance)
		}
	}
	return out
}

// startRefusing starts a loopback backend that answers every request with
// 400 Bad Request, which no exporter retries, and returns its URL.
func startRefusing(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "refused by the test", http.StatusBadRequest)
	}), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	return "http://" + l.Addr().String()
}

// startSilent starts a loopback backend that accepts connections and never
// answers, and returns its URL.
func startSilent(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "http://" + l.Addr().String()
}
