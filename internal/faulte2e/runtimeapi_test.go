package faulte2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
)

// apiFault is one bad answer the Runtime API proxy gives, once.
type apiFault struct {
	name string
	// next applies to a GET /next, post to a POST of a response or error.
	next, post bool
	// atRequest faults answer without forwarding; the others change the
	// upstream's answer.
	atRequest bool
	status    int           // answer this status (no body but an error document)
	drop      bool          // close the connection instead of answering
	delay     time.Duration // forward after this delay
	header    [2]string     // set (or, with an empty value, remove) this header of the answer
	body      string        // replace the answer's body
	hold      bool          // hold the request until the test ends
}

// runtimeAPIProxy stands between the runtime and the emulator's Runtime API
// (the test function reads its address from FAULTE2E_RUNTIME_API) and gives
// the bad answers it is armed with, once each.
type runtimeAPIProxy struct {
	srv      *http.Server
	ln       net.Listener
	rp       *httputil.ReverseProxy
	done     chan struct{}
	upstream atomic.Pointer[url.URL] // the emulator's Runtime API, set once it is known

	mu    sync.Mutex
	armed []apiFault
	gave  []string // the faults given, in order

	polling atomic.Int32  // GET /next requests waiting for an event
	holding atomic.Int32  // requests held by a hold fault
	release chan struct{} // closed when the test ends: held requests go on
}

// startRuntimeAPIProxy starts the proxy; its upstream is set with
// setUpstream before the runtime first calls it (a classic emulator starts
// the runtime at the first invoke).
func startRuntimeAPIProxy(t *testing.T) *runtimeAPIProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	transport := &http.Transport{DisableKeepAlives: true}
	p := &runtimeAPIProxy{ln: ln, done: make(chan struct{}), release: make(chan struct{})}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        func(r *httputil.ProxyRequest) { r.SetURL(p.upstream.Load()); r.Out.Host = r.In.Host },
		Transport:      transport,
		ModifyResponse: p.modify,
		ErrorLog:       log.New(io.Discard, "", 0),
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			if errors.Is(err, errDropAnswer) {
				panic(http.ErrAbortHandler) // close without answering
			}
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ErrorLog: log.New(io.Discard, "", 0)}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		close(p.release)
		_ = p.srv.Close()
		<-p.done
		transport.CloseIdleConnections()
	})
	return p
}

// setUpstream points the proxy at the emulator's Runtime API.
func (p *runtimeAPIProxy) setUpstream(addr string) {
	p.upstream.Store(&url.URL{Scheme: "http", Host: addr})
}

// addr is what the runtime is given as AWS_LAMBDA_RUNTIME_API.
func (p *runtimeAPIProxy) addr() string { return p.ln.Addr().String() }

// arm makes the proxy give f on the next request it applies to.
func (p *runtimeAPIProxy) arm(f apiFault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed = append(p.armed, f)
}

// given returns the names of the faults given so far.
func (p *runtimeAPIProxy) given() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.gave...)
}

// take returns the armed fault that applies to r at this stage, disarmed.
func (p *runtimeAPIProxy) take(r *http.Request, atRequest bool) (apiFault, bool) {
	next := r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/runtime/invocation/next")
	post := r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/runtime/invocation/") &&
		(strings.HasSuffix(r.URL.Path, "/response") || strings.HasSuffix(r.URL.Path, "/error"))
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, f := range p.armed {
		if f.atRequest == atRequest && (f.next && next || f.post && post) {
			p.armed = append(p.armed[:i], p.armed[i+1:]...)
			p.gave = append(p.gave, f.name)
			return f, true
		}
	}
	return apiFault{}, false
}

func (p *runtimeAPIProxy) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := p.take(r, true)
	if !ok {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/runtime/invocation/next") {
			p.polling.Add(1)
			defer p.polling.Add(-1)
		}
		p.rp.ServeHTTP(w, r)
		return
	}
	switch {
	case f.hold:
		p.holding.Add(1)
		select {
		case <-p.release:
		case <-r.Context().Done():
		}
		p.holding.Add(-1)
	case f.drop:
		panic(http.ErrAbortHandler)
	case f.status != 0:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, `{"errorMessage":"injected by the fault matrix","errorType":"Faulte2e.Injected"}`)
	case f.delay > 0:
		timer := time.NewTimer(f.delay)
		defer timer.Stop()
		select {
		case <-timer.C:
			p.rp.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	}
}

// modify changes an upstream answer when a fault is armed for it.
func (p *runtimeAPIProxy) modify(resp *http.Response) error {
	f, ok := p.take(resp.Request, false)
	if !ok {
		return nil
	}
	switch {
	case f.drop:
		return errDropAnswer
	case f.status != 0:
		resp.StatusCode = f.status
		resp.Status = http.StatusText(f.status)
	}
	if f.header[0] != "" {
		if f.header[1] == "" {
			resp.Header.Del(f.header[0])
		} else {
			resp.Header.Set(f.header[0], f.header[1])
		}
	}
	if f.body != "" {
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader([]byte(f.body)))
		resp.ContentLength = int64(len(f.body))
		resp.Header.Del("Content-Length")
	}
	return nil
}

// errDropAnswer makes the reverse proxy fail the request after the upstream
// answered: the caller's connection is closed without an answer.
var errDropAnswer = dropAnswer{}

type dropAnswer struct{}

func (dropAnswer) Error() string { return "answer dropped by the fault matrix" }

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
