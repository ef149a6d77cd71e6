package faulte2e_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/faultproxy"
	"github.com/lumen-rt/lumen/internal/otlptest"
	"github.com/lumen-rt/lumen/internal/promtest"
)

// shutdownStack is everything the SIGTERM tests export to, each behind a
// fault proxy: traces and logs to a real Collector, metrics to a real
// Pushgateway and to Prometheus' remote write receiver.
type shutdownStack struct {
	otlp      *otlpBackend
	pgw, prom string // base URLs of the real servers
	pgwProxy  *faultproxy.Proxy
	rwProxy   *faultproxy.Proxy
	api       *runtimeAPIProxy
}

func startShutdownStack(t *testing.T) *shutdownStack {
	t.Helper()
	s := &shutdownStack{otlp: startOTLPBackend(t), pgw: promtest.StartPushgateway(t), prom: promtest.StartPrometheus(t, ""), api: startRuntimeAPIProxy(t)}
	s.pgwProxy = faultproxy.Start(t, strings.TrimPrefix(s.pgw, "http://"))
	s.rwProxy = faultproxy.Start(t, strings.TrimPrefix(s.prom, "http://"))
	return s
}

func (s *shutdownStack) env() []string {
	return append(s.otlp.env()[:2], // the endpoint and protocol
		"OTEL_TRACES_EXPORTER=otlp", "OTEL_LOGS_EXPORTER=otlp",
		"OTEL_METRICS_EXPORTER=pushgateway,remotewrite",
		"LUMEN_PUSHGATEWAY_URL="+s.pgwProxy.URL(),
		"LUMEN_REMOTE_WRITE_URL="+s.rwProxy.URL()+"/api/v1/write",
		"FAULTE2E_RUNTIME_API="+s.api.addr())
}

// set applies f to every backend.
func (s *shutdownStack) set(f faultproxy.Fault) {
	s.otlp.proxy.Set(f)
	s.pgwProxy.Set(f)
	s.rwProxy.Set(f)
}

// interrupted returns the seq of the handler spans whose invocation span
// was ended by the shutdown, marked lumen.interrupted.
func (s *shutdownStack) interrupted() int {
	n := 0
	for _, sp := range s.otlp.c.Spans() {
		if v, ok := otlptest.Attributes(sp.GetAttributes())["lumen.interrupted"].(bool); ok && v {
			n++
		}
	}
	return n
}

// The phases of the loop a SIGTERM can arrive in.
const (
	phasePoll   = "poll"
	phaseHandle = "handle"
	phasePost   = "post"
	phaseFlush  = "flush"
)

// TestSIGTERM sends SIGTERM, the way Lambda does (the emulator shuts down:
// it signals the runtime and kills it with SIGKILL if it has not exited
// after its deadline), in each phase of the loop: parked in GET /next,
// inside a handler that never returns, in a post the Runtime API does not
// answer, in a flush blocked on a blackholed Collector. Every backend is
// healthy, or dead (blackholed) from before the signal; in the flush phase
// the Collector is healed at the signal, or stays dead. In every case the
// runtime exits by itself: the emulator never has to kill it, and a
// handler still blocked is not waited for (its connection to the test
// closes with the process). With healthy backends the final flush
// delivers: the spans of the invocation in flight arrive marked
// lumen.interrupted, every log line arrives, the Pushgateway group is
// deleted and the remote-write series are marked stale (both polled, within
// a bound). With dead ones the runtime reports what it could not do. The
// test logs the time from the signal to the exit.
func TestSIGTERM(t *testing.T) {
	testfunc(t)
	tests := []struct {
		phase string
		dead  bool
	}{
		{phase: phasePoll}, {phase: phasePoll, dead: true},
		{phase: phaseHandle}, {phase: phaseHandle, dead: true},
		{phase: phasePost}, {phase: phasePost, dead: true},
		{phase: phaseFlush}, {phase: phaseFlush, dead: true},
	}
	for _, tt := range tests {
		name := tt.phase + ", backends healthy"
		if tt.dead {
			name = tt.phase + ", backends dead"
		}
		if tt.phase == phaseFlush && !tt.dead {
			name = "flush, Collector healed at the signal"
		}
		t.Run(name, func(t *testing.T) {
			s := startShutdownStack(t)
			f := startFunction(t, s.env()...)
			s.api.setUpstream(f.em.RuntimeAPI())
			f.run(3)
			pid := f.pid
			// The metrics reached both backends: their removal is what the
			// shutdown is checked for.
			require.True(t, poll(t.Context(), func() bool { _, ok := pushedInvocations(t.Context(), s.pgw); return ok }))
			require.True(t, poll(t.Context(), func() bool { _, ok := writtenInvocations(t.Context(), s.prom); return ok }))

			if tt.dead && tt.phase != phaseFlush {
				s.set(faultproxy.Blackholed)
				f.run(1) // the flush that finds them failing; then they back off
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			inflight := make(chan error, 1)
			var handler net.Conn
			switch tt.phase {
			case phasePoll:
				require.True(t, poll(t.Context(), func() bool { return s.api.polling.Load() > 0 }), "parked in GET /next")
				inflight <- nil
			case phaseHandle:
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				defer ln.Close()
				go func() {
					_, err := f.em.InvokeJSON(ctx, event{Op: "block", Seq: f.next, Addr: ln.Addr().String()}, nil)
					inflight <- err
				}()
				handler, err = ln.Accept() // the handler is in its handle phase
				require.NoError(t, err)
				defer handler.Close()
			case phasePost:
				s.api.arm(apiFault{name: "held post", post: true, atRequest: true, hold: true})
				go func() {
					_, err := f.em.InvokeJSON(ctx, event{Op: "work", Seq: f.next}, nil)
					inflight <- err
				}()
				require.True(t, poll(t.Context(), func() bool { return s.api.holding.Load() > 0 }), "the post is held")
			case phaseFlush:
				// The classic emulator answers the invoker once the runtime
				// is back in GET /next: the invocation is in flight until its
				// flush ends.
				s.otlp.proxy.Set(faultproxy.Blackholed)
				go func() {
					_, err := f.em.InvokeJSON(ctx, event{Op: "work", Seq: f.next}, nil)
					inflight <- err
				}()
				require.True(t, poll(t.Context(), func() bool { return s.otlp.proxy.Waiting() > 0 }),
					"the flush after the invocation waits for the blackholed Collector")
				if !tt.dead {
					s.otlp.proxy.Set(faultproxy.Healthy)
				}
			}

			// SIGTERM: the emulator shuts down and signals the runtime.
			signalled := time.Now()
			gone := make(chan time.Duration, 1)
			go func() {
				if poll(context.Background(), func() bool { return syscall.Kill(pid, 0) == syscall.ESRCH }) {
					gone <- time.Since(signalled)
				}
				close(gone)
			}()
			f.em.Stop()
			took, ok := <-gone
			require.True(t, ok, "the runtime %d did not exit", pid)
			cancel()
			<-inflight
			out := f.em.Output()
			t.Logf("%s: the runtime exited %v after SIGTERM", name, took)
			measuredMu.Lock()
			exits = append(exits, fmt.Sprintf("| %s | %.0f ms |", name, ms(took)))
			measuredMu.Unlock()

			require.Contains(t, out, fmt.Sprintf("faulte2e: SIGTERM pid=%d", pid), "the SIGTERM callback ran")
			require.NotContains(t, out, "Sending SIGKILL to runtime", "the runtime exited before the emulator's deadline:\n%s", out)
			require.NotContains(t, out, "lumen runtime exiting", "an orderly exit:\n%s", out)
			if handler != nil {
				_, err := handler.Read(make([]byte, 1))
				require.True(t, errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET),
					"the handler was still blocked when the process exited: %v", err)
			}

			if tt.dead {
				require.Contains(t, out, "shutting telemetry down", "what the shutdown could not do is reported:\n%s", runtimeLines(out))
				return
			}
			n := f.next
			if tt.phase != phasePoll {
				n++ // the invocation in flight logged its line before it was cut
			}
			if tt.phase == phaseHandle || tt.phase == phasePost {
				require.True(t, poll(t.Context(), func() bool { return s.interrupted() > 0 }),
					"the spans of the invocation in flight arrive, marked interrupted")
			}
			require.True(t, poll(t.Context(), func() bool {
				spans, _ := s.otlp.workSpans()
				return len(spans) == n && len(s.otlp.workLogs()) == n
			}), "the final flush delivers every span and log line")
			require.True(t, poll(t.Context(), func() bool {
				_, ok := pushedInvocations(t.Context(), s.pgw)
				return !ok
			}), "the Pushgateway group is deleted")
			require.True(t, poll(t.Context(), func() bool {
				_, ok := writtenInvocations(t.Context(), s.prom)
				return !ok
			}), "the remote-write series are marked stale")
		})
	}
}

// exits are the exit times of the SIGTERM tests, for the closing table.
var exits []string

// TestSIGTERMDeadlineControl proves that TestSIGTERM's structural check can
// fail: a runtime whose SIGTERM callback never returns does not exit, and
// the emulator kills it at its deadline, saying so in its output.
func TestSIGTERMDeadlineControl(t *testing.T) {
	testfunc(t)
	f := startFunction(t, "FAULTE2E_HANG=1", "OTEL_METRICS_EXPORTER=emf")
	f.run(1)
	f.em.Stop()
	out := f.em.Output()
	require.Contains(t, out, fmt.Sprintf("faulte2e: SIGTERM pid=%d", f.pid))
	require.Contains(t, out, "Sending SIGKILL to runtime", "the emulator kills a runtime that does not exit:\n%s", out)
}
