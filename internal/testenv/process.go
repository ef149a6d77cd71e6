package testenv

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Process is a server or function started for one test. Its output is kept,
// and shown when the test fails.
type Process struct {
	Cmd    *exec.Cmd
	out    syncBuffer
	exited chan struct{}
	err    error
}

// Start runs cmd in its own process group and stops the group when the test
// ends (SIGTERM, then SIGKILL after two seconds).
func Start(t testing.TB, cmd *exec.Cmd) *Process {
	t.Helper()
	p := &Process{Cmd: cmd, exited: make(chan struct{})}
	var w io.Writer = &p.out
	if cmd.Stdout != nil {
		w = io.MultiWriter(cmd.Stdout, &p.out)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("output of %s:\n%s", cmd.Path, p.Output())
		}
	})
	return p
}

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Err is the process's exit error, valid once [Process.Exited] is closed.
func (p *Process) Err() error { <-p.exited; return p.err }

// Output returns everything the process wrote so far.
func (p *Process) Output() string { return p.out.String() }

// Stop ends the process group and waits for the process to exit.
func (p *Process) Stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	pgid := -p.Cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(2 * time.Second):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-p.exited
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Environ returns os.Environ() with kv ("NAME=value") added or replacing.
func Environ(kv ...string) []string {
	env := os.Environ()
	for _, e := range kv {
		name := e[:bytes.IndexByte([]byte(e), '=')+1]
		out := env[:0:0]
		for _, x := range env {
			if len(x) < len(name) || x[:len(name)] != name {
				out = append(out, x)
			}
		}
		env = append(out, e)
	}
	return env
}
