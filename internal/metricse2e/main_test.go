package metricse2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
	"github.com/lumen-rt/lumen/runtime"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// functionName is AWS_LAMBDA_FUNCTION_NAME of every environment: the
// faas_name label, and the Pushgateway job.
const functionName = "metricse2e"

// testfunc builds the test function once per test binary and returns its
// path, or skips under -short.
func testfunc(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: runs the Runtime Interface Emulator")
	}
	testenv.Tool(t, rie.ToolName)
	return testenv.BuildBinary(t, "./internal/e2e/testfunc")
}

// environment is one execution environment: an emulator whose log stream
// name, and so whose instance label, is its own.
type environment struct {
	instance string
	em       *rie.Emulator
}

// startEnvironment starts a classic emulator for the test function whose
// AWS_LAMBDA_LOG_STREAM_NAME ends in instance, with env added.
func startEnvironment(t *testing.T, instance string, env ...string) *environment {
	t.Helper()
	// The exact counts these tests expect (a flush per invocation, each
	// flush's duration counted, nothing in flight at a flush) are those of
	// flushing after every invocation; the runtime's tests prove that the
	// deferring strategies, the default among them, deliver everything.
	env = append([]string{"AWS_LAMBDA_LOG_STREAM_NAME=2026/11/29/[$LATEST]" + instance, "LUMEN_FLUSH_STRATEGY=end"}, env...)
	em := rie.StartClassic(t, testfunc(t), rie.WithFunctionName(functionName), rie.WithEnv(env...))
	return &environment{instance: instance, em: em}
}

// step is one invocation of a mix: the payload sent and the Lambda
// errorType it must fail with ("" for success).
type step struct {
	name      string
	payload   string
	errorType string
	trigger   string // faas_trigger the runtime infers from the payload
}

// The invocations mixes are made of.
var (
	stepEcho = step{name: "echo", payload: `{"op":"echo","data":1}`, trigger: "other"}
	stepHTTP = step{name: "http echo",
		payload: `{"op":"echo","httpMethod":"GET","path":"/orders","resource":"/orders","requestContext":{"stage":"prod"}}`,
		trigger: "http"}
	stepTyped     = step{name: "typed error", payload: `{"op":"error","message":"bad input"}`, errorType: "ValidationError", trigger: "other"}
	stepPlain     = step{name: "plain error", payload: `{"op":"no-such-op"}`, errorType: "errorString", trigger: "other"}
	stepUnmarshal = step{name: "unmarshal error", payload: `{"op":5}`, errorType: runtime.ErrorTypeUnmarshal, trigger: "other"}
	stepOversized = step{name: "oversized response", payload: `{"op":"big","size":7000000}`,
		errorType: runtime.ErrorTypeResponseTooLarge, trigger: "other"}
)

// mix is what one environment is sent, in order. Its first step is the
// cold start.
type mix []step

// twoMixes are what two environments run at once: different lengths and
// proportions, so that a count credited to the wrong environment shows.
var twoMixes = []mix{
	{stepEcho, stepTyped, stepHTTP, stepUnmarshal, stepEcho, stepOversized, stepTyped, stepPlain, stepEcho},
	{stepEcho, stepUnmarshal, stepEcho, stepTyped, stepUnmarshal, stepEcho, stepHTTP, stepHTTP, stepOversized, stepEcho, stepEcho},
}

// invocations returns how many invocations the mix makes.
func (m mix) invocations() int { return len(m) }

// byTrigger returns the invocations per faas_trigger.
func (m mix) byTrigger() map[string]float64 {
	out := map[string]float64{}
	for _, s := range m {
		out[s.trigger]++
	}
	return out
}

// errorsByType returns the failed invocations per errorType.
func (m mix) errorsByType() map[string]float64 {
	out := map[string]float64{}
	for _, s := range m {
		if s.errorType != "" {
			out[s.errorType]++
		}
	}
	return out
}

// run sends every step of m to e in order and checks each answer: a
// success carries the test function's reply, a failure the error document
// of its type. It returns what went wrong, so that it can run in a
// goroutine.
func (e *environment) run(ctx context.Context, m mix) error {
	var errs []error
	for i, s := range m {
		resp, err := e.em.Invoke(ctx, []byte(s.payload), nil)
		if err != nil {
			return fmt.Errorf("%s: step %d (%s): %w", e.instance, i, s.name, err)
		}
		if err := check(resp, s); err != nil {
			errs = append(errs, fmt.Errorf("%s: step %d (%s): %w", e.instance, i, s.name, err))
		}
	}
	return errors.Join(errs...)
}

// check compares one answer with what its step must produce.
func check(resp *rie.Response, s step) error {
	if resp.Status != http.StatusOK {
		return fmt.Errorf("status %d: %.300s", resp.Status, resp.Body)
	}
	if s.errorType == "" {
		var r struct {
			Instance string `json:"instance"`
		}
		if err := json.Unmarshal(resp.Body, &r); err != nil || r.Instance == "" {
			return fmt.Errorf("not a reply (%v): %.300s", err, resp.Body)
		}
		return nil
	}
	doc, err := resp.ErrorDocument()
	if err != nil {
		return err
	}
	if doc.Type != s.errorType {
		return fmt.Errorf("errorType %q, want %q (%s)", doc.Type, s.errorType, doc.Message)
	}
	return nil
}

// runAll runs each environment's mix at the same time as the others'.
func runAll(ctx context.Context, envs []*environment, mixes []mix) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for i, e := range envs {
		wg.Go(func() {
			if err := e.run(ctx, mixes[i]); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// instanceID returns a 32-hex-digit environment id, as Lambda's log stream
// names end with, made of c.
func instanceID(c byte) string { return strings.Repeat(string(c), 32) }
