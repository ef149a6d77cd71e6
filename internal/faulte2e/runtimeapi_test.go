package faulte2e_test

import (
	"context"
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
)

// invokeAny sends the next "work" event and returns the emulator's answer
// and the reply in it, if it is one, without requiring the same process.
func (f *function) invokeAny(t *testing.T) (*rie.Response, *reply) {
	t.Helper()
	seq := f.next
	f.next++
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	resp, err := f.em.InvokeJSON(ctx, event{Op: "work", Seq: seq}, nil)
	require.NoError(t, err, "invocation %d:\n%s", seq, f.em.Output())
	var r reply
	if json.Unmarshal(resp.Body, &r) != nil || r.Instance == "" {
		return resp, nil
	}
	require.Equal(t, seq, r.Seq)
	return resp, &r
}

// exited waits until the process pid is gone: the emulator reaps its
// runtime as soon as it exits.
func exited(t *testing.T, pid int) {
	t.Helper()
	require.True(t, poll(t.Context(), func() bool { return syscall.Kill(pid, 0) == syscall.ESRCH }),
		"process %d did not exit", pid)
}

// TestRuntimeAPIFaults: bad Runtime API answers under the real emulator,
// given by a proxy between the runtime and the emulator's Runtime API, once
// each. The runtime survives what the Runtime API reference says to
// survive (an answer to its post that only refuses it, a slow event, an
// event whose headers or body are bad: the invoker gets a clear error) and
// exits on what it says to stop on (a 5xx or a dropped connection), after
// flushing; the emulator then starts a new process, which serves the next
// invocation. Either way every invocation whose handler ran has its span
// at the Collector: a bad answer never costs the telemetry of what was
// served.
func TestRuntimeAPIFaults(t *testing.T) {
	testfunc(t)
	tests := []struct {
		fault apiFault
		// check the answer to the invocation the fault hits.
		answer func(t *testing.T, resp *rie.Response, r *reply)
		fatal  bool   // the runtime exits: the next invocation starts a new process
		report string // a line the runtime logs
	}{
		{fault: apiFault{name: "GET next answered 500", next: true, atRequest: true, status: 500},
			fatal: true, report: "500"},
		// Go's client sends a GET again on a new connection when a kept-alive
		// one is closed before any answer: the runtime goes on.
		{fault: apiFault{name: "GET next dropped", next: true, atRequest: true, drop: true}},
		{fault: apiFault{name: "GET next answered after 2 s", next: true, atRequest: true, delay: 2 * time.Second}, report: "faulte2e work"},
		{fault: apiFault{name: "event with a garbage deadline", next: true, header: [2]string{"Lambda-Runtime-Deadline-Ms", "soon"}},
			answer: errorAnswer("Deadline"), report: "invocation failed"},
		// The emulator delivers the event again on the runtime's next GET.
		{fault: apiFault{name: "event without request id", next: true, header: [2]string{"Lambda-Runtime-Aws-Request-Id", ""}},
			report: "nothing to answer"},
		{fault: apiFault{name: "event body not JSON", next: true, body: `{"op":`},
			answer: errorAnswer("Runtime.UnmarshalError"), report: "invocation failed"},
		{fault: apiFault{name: "POST answered 500", post: true, status: 500}, fatal: true, report: "500"},
		{fault: apiFault{name: "POST answered 413", post: true, status: 413}, report: "413"},
		{fault: apiFault{name: "POST dropped", post: true, drop: true}, fatal: true, report: "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.fault.name, func(t *testing.T) {
			b := startOTLPBackend(t)
			api := startRuntimeAPIProxy(t)
			f := startFunction(t, append(b.env(), "FAULTE2E_RUNTIME_API="+api.addr())...)
			api.setUpstream(f.em.RuntimeAPI())
			f.run(2)
			first := f.pid
			served := []int{0, 1}

			// A fault at the request of a GET /next hits the GET after the
			// one the runtime already waits in, after the next invocation.
			api.arm(tt.fault)
			hit := f.next
			resp, r := f.invokeAny(t)
			switch {
			case tt.answer != nil:
				tt.answer(t, resp, r)
			default:
				require.NotNil(t, r, "a right answer: %s", resp.Body)
				require.Equal(t, first, r.PID)
				served = append(served, hit)
			}
			require.True(t, poll(t.Context(), func() bool { return len(api.given()) == 1 }), "the fault was given")
			require.Equal(t, []string{tt.fault.name}, api.given())
			if tt.fatal {
				exited(t, first)
			}
			resp, r = f.invokeAny(t)
			require.NotNil(t, r, "the next invocation is served: %s", resp.Body)
			served = append(served, f.next-1)
			if tt.fatal {
				require.NotEqual(t, first, r.PID, "served by a new process")
			} else {
				require.Equal(t, first, r.PID, "served by the same process")
			}
			require.True(t, poll(t.Context(), func() bool {
				spans, _ := b.workSpans()
				for _, seq := range served {
					if spans[int64(seq)] == 0 {
						return false
					}
				}
				return true
			}), "the spans of every invocation served arrive")
			out := f.em.Output()
			require.Contains(t, out, tt.report)
			t.Logf("%s: served %v; runtime lines:\n%s", tt.fault.name, served, runtimeLines(out))
		})
	}
}

// errorAnswer checks an error document of errorType.
func errorAnswer(errorType string) func(t *testing.T, resp *rie.Response, r *reply) {
	return func(t *testing.T, resp *rie.Response, r *reply) {
		require.Nil(t, r)
		doc, err := resp.ErrorDocument()
		require.NoError(t, err)
		require.Contains(t, doc.Type+" "+doc.Message, errorType)
	}
}

// runtimeLines returns the lines the runtime logged.
func runtimeLines(out string) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `message="lumen runtime`) || strings.Contains(l, `message="invocation failed"`) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
