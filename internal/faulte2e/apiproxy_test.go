package faulte2e_test

import (
	"bytes"
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
	"testing"
	"time"
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
