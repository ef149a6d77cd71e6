package faulte2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		printMeasurements()
		os.Exit(code)
	}))
}

// functionName is AWS_LAMBDA_FUNCTION_NAME: the faas_name label and the
// Pushgateway job.
const functionName = "faulte2e"

// envFlushStrategy, when set, is the LUMEN_FLUSH_STRATEGY of every function
// the tests start (make soak measures the matrix under the default, adaptive,
// and under "end"); unset, they run with Lumen's default.
const envFlushStrategy = "FAULTE2E_FLUSH_STRATEGY"

// wait bounds every wait for a state the test expects (data arriving, a
// count showing, a process exiting); it guards against hanging and
// measures nothing.
const wait = 30 * time.Second

// testfunc builds ./testfunc once per test binary and returns its path, or
// skips under -short.
func testfunc(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: runs the Runtime Interface Emulator and real backends")
	}
	testenv.Tool(t, rie.ToolName)
	return testenv.BuildBinary(t, "./internal/faulte2e/testfunc")
}

// event is what testfunc accepts.
type event struct {
	Op   string `json:"op"`
	Seq  int    `json:"seq"`
	Addr string `json:"addr,omitempty"`
}

// reply is what testfunc answers.
type reply struct {
	Instance string `json:"instance"`
	PID      int    `json:"pid"`
	Seq      int    `json:"seq"`
}

// function is the test function under a classic emulator, with its own
// Prometheus endpoint for the counts the tests assert.
type function struct {
	t          *testing.T
	em         *rie.Emulator
	metricsURL string
	next       int // the seq of the next invocation
	instance   string
	pid        int
}

// instanceID is the environment id of every function the tests start.
const instanceID = "faulte2efaulte2efaulte2efaulte2e"

// startFunction starts the test function under the classic emulator with
// env, adding the prometheus metrics exporter on a free port to what env
// selects (OTEL_METRICS_EXPORTER must be among env).
func startFunction(t *testing.T, env ...string) *function {
	t.Helper()
	return startFunctionWith(t, nil, env...)
}

// startFunctionWith is startFunction with emulator options.
func startFunctionWith(t *testing.T, opts []rie.Option, env ...string) *function {
	t.Helper()
	bin := testfunc(t)
	metricsAddr := testenv.FreeAddr(t)
	env = append([]string{
		"AWS_LAMBDA_LOG_STREAM_NAME=2026/12/07/[$LATEST]" + instanceID,
		"LUMEN_METRICS_ADDR=" + metricsAddr,
		"OTEL_TRACES_SAMPLER=always_on",
	}, env...)
	for i, kv := range env {
		if v, ok := strings.CutPrefix(kv, "OTEL_METRICS_EXPORTER="); ok {
			env[i] = "OTEL_METRICS_EXPORTER=" + v + ",prometheus"
		}
	}
	if s := os.Getenv(envFlushStrategy); s != "" {
		env = append(env, "LUMEN_FLUSH_STRATEGY="+s)
	}
	em := rie.StartClassic(t, bin, append([]rie.Option{rie.WithFunctionName(functionName), rie.WithEnv(env...)}, opts...)...)
	return &function{t: t, em: em, metricsURL: "http://" + metricsAddr + "/metrics"}
}

// invoke sends the next "work" event, requires the right answer and returns
// how long the invoke took.
func (f *function) invoke(ctx context.Context) (time.Duration, error) {
	seq := f.next
	f.next++
	start := time.Now()
	resp, err := f.em.InvokeJSON(ctx, event{Op: "work", Seq: seq}, nil)
	took := time.Since(start)
	if err != nil {
		return took, err
	}
	if resp.Status != http.StatusOK {
		return took, fmt.Errorf("invocation %d: status %d: %.300s", seq, resp.Status, resp.Body)
	}
	var r reply
	if err := json.Unmarshal(resp.Body, &r); err != nil {
		return took, fmt.Errorf("invocation %d: not a reply (%w): %.300s", seq, err, resp.Body)
	}
	if r.Seq != seq || r.Instance == "" {
		return took, fmt.Errorf("invocation %d: wrong reply %+v", seq, r)
	}
	if f.instance == "" {
		f.instance, f.pid = r.Instance, r.PID
	}
	if r.Instance != f.instance {
		return took, fmt.Errorf("invocation %d: served by a new process %s (was %s):\n%s", seq, r.Instance, f.instance, f.em.Output())
	}
	return took, nil
}

// run invokes n times, requiring every answer to be right, and returns the
// latencies.
func (f *function) run(n int) []time.Duration {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(f.t.Context(), wait+time.Duration(n)*2*time.Second)
	defer cancel()
	out := make([]time.Duration, 0, n)
	for range n {
		d, err := f.invoke(ctx)
		require.NoError(f.t, err)
		out = append(out, d)
	}
	return out
}

// poll calls cond every 5 ms until it holds (true) or wait passes (false):
// how a test observes a state a real process or server reaches on its own
// schedule.
func poll(ctx context.Context, cond func() bool) bool {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return cond()
		case <-tick.C:
		}
	}
	return true
}

// median returns the median of ds.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
