package rie

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumen-rt/lumen/internal/testenv"
)

// Mode is one of the emulator's two implementations.
type Mode int

const (
	// Classic is the emulator's original implementation: one invocation at a
	// time, lazy init, unprivileged.
	Classic Mode = iota
	// ManagedInstances is the Lambda Managed Instances implementation:
	// concurrent workers, eager init, root only.
	ManagedInstances
)

func (m Mode) String() string {
	if m == ManagedInstances {
		return "managed-instances"
	}
	return "classic"
}

// ToolName is the emulator's executable, found with testenv.Tool.
const ToolName = "aws-lambda-rie"

// invokePath is the emulator's only invoke endpoint.
const invokePath = "/2015-03-31/functions/function/invocations"

// startTimeout bounds how long the emulator may take to listen.
const startTimeout = 30 * time.Second

// Emulator is a running aws-lambda-rie serving one function.
type Emulator struct {
	mode       Mode
	addr       string
	runtimeAPI string
	proc       *testenv.Process
	exited     <-chan struct{}
	client     *http.Client
	serial     sync.Mutex // held around each invoke in Classic mode
}

// StartClassic starts the emulator in [Classic] mode for bootstrap and
// returns once it accepts invokes. The runtime itself starts on the first
// invoke. Everything stops when t ends.
func StartClassic(t testing.TB, bootstrap string, opts ...Option) *Emulator {
	t.Helper()
	return Start(t, Classic, bootstrap, opts...)
}

// StartManaged starts the emulator in [ManagedInstances] mode for bootstrap,
// which it runs as /var/task/bootstrap in a private mount namespace, and
// returns once it accepts invokes (the runtime initialises eagerly, and
// [Emulator.Invoke] waits for a free worker). It needs root: without it t is
// skipped, or failed under CI=true. Everything stops when t ends.
func StartManaged(t testing.TB, bootstrap string, opts ...Option) *Emulator {
	t.Helper()
	return Start(t, ManagedInstances, bootstrap, opts...)
}

// Start starts the emulator in mode for the executable bootstrap.
func Start(t testing.TB, mode Mode, bootstrap string, opts ...Option) *Emulator {
	t.Helper()
	cfg := newConfig(opts)
	tool := testenv.Tool(t, ToolName)
	bootstrap, err := filepath.Abs(bootstrap)
	if err != nil {
		t.Fatalf("rie: bootstrap path: %v", err)
	}
	if _, err := os.Stat(bootstrap); err != nil {
		t.Fatalf("rie: bootstrap: %v", err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	transport.MaxIdleConnsPerHost = 64
	t.Cleanup(transport.CloseIdleConnections)

	// A free port can be taken between testenv.FreeAddr and the emulator's
	// bind: then the emulator exits at once, and it is started again on
	// other ports. (Classic mode binds the Runtime API port only at the
	// first invoke, so a collision there, rarer still, ends that invoke.)
	for attempt := 1; ; attempt++ {
		e := &Emulator{mode: mode, client: &http.Client{Transport: transport}}
		e.addr, e.runtimeAPI = freeAddrPair(t)
		err := e.start(t, cfg, tool, bootstrap)
		if err == nil {
			return e
		}
		out := e.Output()
		if attempt < 3 && strings.Contains(out, "address already in use") {
			continue
		}
		if mode == ManagedInstances && strings.Contains(out, "not permitted") {
			testenv.Missing(t, "the emulator's managed-instances mode needs root with CAP_SYS_ADMIN (unshare -m, mount):\n"+out)
		}
		t.Fatalf("rie: %s emulator did not start: %v\n%s", mode, err, out)
	}
}

// start runs the emulator and waits until it accepts connections.
func (e *Emulator) start(t testing.TB, cfg *config, tool, bootstrap string) error {
	t.Helper()
	flags := []string{"--runtime-interface-emulator-address", e.addr, "--runtime-api-address", e.runtimeAPI}
	var cmd *exec.Cmd
	switch e.mode {
	case Classic:
		cmd = exec.Command(tool, append(flags, bootstrap)...)
		cmd.Dir = filepath.Dir(bootstrap)
		cmd.Env = cfg.environ(false)
	case ManagedInstances:
		cmd = managedCommand(t, tool, bootstrap, flags)
		cmd.Env = cfg.environ(true)
	default:
		t.Fatalf("rie: unknown mode %d", e.mode)
	}
	e.proc = testenv.Start(t, cmd)
	e.exited = e.proc.Exited()
	ctx, cancel := context.WithTimeout(t.Context(), startTimeout)
	defer cancel()
	return testenv.WaitHTTP(ctx, "http://"+e.addr+"/", e.exited)
}

// freeAddrPair returns two different free loopback addresses.
func freeAddrPair(t testing.TB) (string, string) {
	t.Helper()
	a := testenv.FreeAddr(t)
	for {
		if b := testenv.FreeAddr(t); b != a {
			return a, b
		}
	}
}

// Mode reports which implementation runs.
func (e *Emulator) Mode() Mode { return e.mode }

// URL is the invoke endpoint, for callers that build their own requests.
func (e *Emulator) URL() string { return "http://" + e.addr + invokePath }

// RuntimeAPI is the Runtime API address the runtime is given
// (AWS_LAMBDA_RUNTIME_API).
func (e *Emulator) RuntimeAPI() string { return e.runtimeAPI }

// Output returns everything the emulator and the runtime wrote so far.
func (e *Emulator) Output() string {
	if e.proc == nil {
		return ""
	}
	return e.proc.Output()
}

// Exited is closed when the emulator has exited: in ManagedInstances mode it
// exits when the runtime process does.
func (e *Emulator) Exited() <-chan struct{} { return e.exited }

// Stop stops the emulator and its runtime now rather than at the end of the
// test.
func (e *Emulator) Stop() {
	if e.proc != nil {
		e.proc.Stop()
	}
	e.client.CloseIdleConnections()
}

// config is the resolved options.
type config struct {
	env            []string
	timeoutSeconds int
	functionName   string
	maxConcurrency int
}

// Option configures an [Emulator].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithEnv adds environment variables ("NAME=value") for the emulator, which
// passes them on to the runtime.
func WithEnv(kv ...string) Option {
	return optionFunc(func(c *config) { c.env = append(c.env, kv...) })
}

// WithTimeout sets the function timeout (AWS_LAMBDA_FUNCTION_TIMEOUT), in
// whole seconds as the emulator requires. Default: 30 s, so that a stuck
// handler fails its test in 30 s rather than the emulator's 300.
func WithTimeout(seconds int) Option {
	return optionFunc(func(c *config) { c.timeoutSeconds = seconds })
}

// WithFunctionName sets AWS_LAMBDA_FUNCTION_NAME, which the emulator puts in
// the invoked ARN. Default: the emulator's "test_function".
func WithFunctionName(name string) Option {
	return optionFunc(func(c *config) { c.functionName = name })
}

// WithMaxConcurrency sets AWS_LAMBDA_MAX_CONCURRENCY in ManagedInstances
// mode (ignored in Classic mode, where setting it would switch modes).
// Default: 2.
func WithMaxConcurrency(n int) Option {
	return optionFunc(func(c *config) { c.maxConcurrency = n })
}

func newConfig(opts []Option) *config {
	c := &config{timeoutSeconds: 30, maxConcurrency: 2}
	for _, o := range opts {
		o.apply(c)
	}
	return c
}

// environ is the emulator's environment: this process's, minus what would
// change the mode, plus the options.
func (c *config) environ(managed bool) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_LAMBDA_MAX_CONCURRENCY=") && !strings.HasPrefix(kv, "AWS_LAMBDA_RUNTIME_API=") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_LAMBDA_FUNCTION_TIMEOUT="+strconv.Itoa(c.timeoutSeconds))
	if c.functionName != "" {
		env = append(env, "AWS_LAMBDA_FUNCTION_NAME="+c.functionName)
	}
	if managed {
		env = append(env, fmt.Sprintf("AWS_LAMBDA_MAX_CONCURRENCY=%d", c.maxConcurrency))
	}
	return append(env, c.env...)
}
