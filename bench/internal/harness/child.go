package harness

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Child is a running process: a variant's function, or the emulator running
// one. Its output goes to a log file.
type Child struct {
	cmd     *exec.Cmd
	logPath string
	started time.Time
	exited  chan struct{}
	err     error
}

// StartChild starts bin with args and env, in its own process group,
// writing its output to logPath.
func StartChild(bin string, args, env []string, logPath string) (*Child, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("harness: child log: %w", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c := &Child{cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	c.started = time.Now()
	if err := cmd.Start(); err != nil {
		_ = log.Close()
		return nil, fmt.Errorf("harness: start %s: %w", bin, err)
	}
	go func() {
		c.err = cmd.Wait()
		_ = log.Close()
		close(c.exited)
	}()
	return c, nil
}

// Started is when the process was started (just before fork/exec).
func (c *Child) Started() time.Time { return c.started }

// PID is the process id.
func (c *Child) PID() int { return c.cmd.Process.Pid }

// Exited is closed when the process has exited.
func (c *Child) Exited() <-chan struct{} { return c.exited }

// Output is the tail of what the process wrote, for error messages.
func (c *Child) Output() string {
	b, err := os.ReadFile(c.logPath)
	if err != nil {
		return ""
	}
	const tail = 4000
	if len(b) > tail {
		b = b[len(b)-tail:]
	}
	return strings.TrimSpace(string(b))
}

// Stop kills the process group and waits for the process to exit. It is
// idempotent; it returns an error only when the process had already exited
// by itself, which a function never does.
func (c *Child) Stop() error {
	select {
	case <-c.exited:
		if c.err == nil {
			return errors.New("harness: child exited by itself")
		}
		return fmt.Errorf("harness: child exited by itself: %w", c.err)
	default:
	}
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	<-c.exited
	return nil
}

// Terminate sends SIGTERM to the process, as Lambda does before it shuts an
// execution environment down, and waits up to grace for it to exit; then it
// kills the process group. It reports whether the process exited by itself
// within grace.
func (c *Child) Terminate(grace time.Duration) bool {
	select {
	case <-c.exited:
		return true
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-c.exited:
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL) // what it started, if anything
		return true
	case <-t.C:
	}
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	<-c.exited
	return false
}

// FunctionEnv is the environment of a variant's function: this process's,
// less anything Lambda- or OpenTelemetry-related, plus what Lambda sets, the
// Runtime API address (when not empty) and, for the instrumented variants,
// the OTLP endpoint (when not empty).
func FunctionEnv(runtimeAPI, otlpEndpoint string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "OTEL_") ||
			strings.HasPrefix(kv, "LUMEN_") || strings.HasPrefix(kv, "_X_AMZN") ||
			strings.HasPrefix(kv, "GODEBUG=") || strings.HasPrefix(kv, "GOGC=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"AWS_LAMBDA_FUNCTION_NAME=bench",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/bench",
		"AWS_LAMBDA_LOG_STREAM_NAME=2026/01/01/[$LATEST]bench",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_REGION=us-east-1",
		"_HANDLER=bootstrap",
	)
	if runtimeAPI != "" {
		env = append(env, "AWS_LAMBDA_RUNTIME_API="+runtimeAPI)
	}
	if otlpEndpoint != "" {
		env = append(env,
			"OTEL_EXPORTER_OTLP_ENDPOINT="+otlpEndpoint,
			"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		)
	}
	return append(env, extra...)
}
