package faultproxy

import (
	"bytes"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumen-rt/lumen/internal/testenv"
)

// dialTimeout bounds a connection to the upstream.
const dialTimeout = 5 * time.Second

// Proxy is a switchable proxy in front of one upstream. It is safe for
// concurrent use.
type Proxy struct {
	t        testing.TB
	upstream string // host:port
	addr     string // host:port the proxy listens on
	rp       *httputil.ReverseProxy
	rt       *http.Transport
	srv      *http.Server
	handoff  *handoff // connections served by srv

	mu      sync.Mutex
	fault   Fault
	ln      net.Listener // nil while refusing, or once closed
	conns   map[*conn]struct{}
	changed chan struct{} // closed when the fault changes or the proxy closes
	closed  bool

	waiting  atomic.Int64 // requests held without an answer
	accepted atomic.Int64
	wg       sync.WaitGroup
}

// Start starts a healthy proxy to upstream ("host:port") on a free
// 127.0.0.1 port (from testenv.FreeAddr, outside the ephemeral range, so
// that no outgoing connection takes it while the proxy refuses). It stops,
// with every connection, when t ends.
func Start(t testing.TB, upstream string) *Proxy {
	t.Helper()
	var ln net.Listener
	for attempt := 1; ; attempt++ {
		var err error
		if ln, err = net.Listen("tcp", testenv.FreeAddr(t)); err == nil {
			break
		}
		if attempt == 3 {
			t.Fatalf("faultproxy: listen: %v", err)
		}
	}
	target := &url.URL{Scheme: "http", Host: upstream}
	p := &Proxy{
		t:        t,
		upstream: upstream,
		addr:     ln.Addr().String(),
		rt:       &http.Transport{DisableKeepAlives: true, Proxy: nil},
		handoff:  newHandoff(ln.Addr()),
		fault:    Healthy,
		conns:    map[*conn]struct{}{},
		changed:  make(chan struct{}),
	}
	quiet := log.New(io.Discard, "", 0)
	p.rp = &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target); r.Out.Host = r.In.Host },
		Transport: p.rt,
		ErrorLog:  quiet,
	}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serveHTTP), ErrorLog: quiet, ReadHeaderTimeout: time.Minute}
	p.wg.Go(func() { _ = p.srv.Serve(p.handoff) })
	p.listen(ln)
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's address, host:port.
func (p *Proxy) Addr() string { return p.addr }

// URL is the proxy's base URL, http://host:port.
func (p *Proxy) URL() string { return "http://" + p.addr }

// Fault returns the fault in force.
func (p *Proxy) Fault() Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fault
}

// Waiting returns how many requests the proxy holds without answering:
// blackholed connections that sent something, slow requests not yet
// forwarded.
func (p *Proxy) Waiting() int { return int(p.waiting.Load()) }

// Accepted returns how many connections the proxy accepted so far.
func (p *Proxy) Accepted() int { return int(p.accepted.Load()) }

// Set makes f the proxy's behaviour from now on. Every connection open
// under the previous fault is closed; a request held by it fails at once.
// Leaving [Refused] listens again on the same address.
func (p *Proxy) Set(f Fault) {
	p.t.Helper()
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.fault = f
	close(p.changed)
	p.changed = make(chan struct{})
	old := p.ln
	reopen := old == nil && f.kind != KindRefused
	if f.kind == KindRefused {
		p.ln = nil
	}
	conns := p.takeConns()
	p.mu.Unlock()
	if f.kind == KindRefused && old != nil {
		_ = old.Close()
	}
	for _, c := range conns {
		_ = c.Close()
	}
	if reopen {
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			p.t.Fatalf("faultproxy: listening again on %s: %v", p.addr, err)
		}
		p.listen(ln)
	}
}

// Close stops the proxy and closes every connection. Later calls do
// nothing.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	close(p.changed)
	ln := p.ln
	p.ln = nil
	conns := p.takeConns()
	p.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
	for _, c := range conns {
		_ = c.Close()
	}
	_ = p.srv.Close()
	p.handoff.Close()
	p.wg.Wait()
	p.rt.CloseIdleConnections()
}

// takeConns empties the set of open connections; the caller holds mu.
func (p *Proxy) takeConns() []*conn {
	out := make([]*conn, 0, len(p.conns))
	for c := range p.conns {
		out = append(out, c)
	}
	clear(p.conns)
	return out
}

// listen serves ln until it is closed.
func (p *Proxy) listen(ln net.Listener) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_ = ln.Close()
		return
	}
	p.ln = ln
	p.mu.Unlock()
	p.wg.Go(func() { p.accept(ln) })
}

func (p *Proxy) accept(ln net.Listener) {
	for {
		raw, err := ln.Accept()
		if err != nil {
			return
		}
		p.accepted.Add(1)
		p.mu.Lock()
		if p.closed || p.ln != ln {
			p.mu.Unlock()
			_ = raw.Close()
			continue
		}
		f := p.fault
		c := p.track(raw)
		p.mu.Unlock()
		switch {
		case f.kind == KindBlackholed:
			p.wg.Go(func() { p.blackhole(c) })
		case f.kind == KindGarbage:
			p.wg.Go(func() {
				_, _ = io.WriteString(c, garbage)
				_ = c.Close()
			})
		case f.http():
			p.handoff.push(c)
		default:
			p.wg.Go(func() { p.splice(c) })
		}
	}
}

// track adds raw to the open connections; the caller holds mu.
func (p *Proxy) track(raw net.Conn) *conn {
	c := &conn{Conn: raw, p: p}
	p.conns[c] = struct{}{}
	return c
}

// blackhole reads c until it is closed, never answering.
func (p *Proxy) blackhole(c *conn) {
	defer c.Close()
	buf := make([]byte, 4096)
	if _, err := c.Read(buf); err != nil {
		return
	}
	p.waiting.Add(1)
	defer p.waiting.Add(-1)
	_, _ = io.CopyBuffer(io.Discard, c, buf)
}

// splice forwards c to a new connection to the upstream, both ways, until
// either side closes.
func (p *Proxy) splice(c *conn) {
	defer c.Close()
	raw, err := net.DialTimeout("tcp", p.upstream, dialTimeout)
	if err != nil {
		return
	}
	p.mu.Lock()
	if c.gone.Load() || p.closed {
		p.mu.Unlock()
		_ = raw.Close()
		return
	}
	up := p.track(raw)
	p.mu.Unlock()
	defer up.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		_, _ = io.Copy(up, c)
		_ = up.Close()
	})
	_, _ = io.Copy(c, up)
	_ = c.Close()
	wg.Wait()
}

// serveHTTP answers the requests of the HTTP-level faults.
func (p *Proxy) serveHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	f, changed := p.fault, p.changed
	p.mu.Unlock()
	switch f.kind {
	case KindAnswer:
		for k, vs := range f.header {
			w.Header()[k] = vs
		}
		w.Header().Set("Connection", "close")
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, f.body)
	case KindSlow:
		// Reading the whole body lets the server see the caller go away.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		p.waiting.Add(1)
		timer := time.NewTimer(f.delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
		case <-changed:
		}
		timer.Stop()
		p.waiting.Add(-1)
		if r.Context().Err() != nil || chanClosed(changed) {
			panic(http.ErrAbortHandler) // the caller gave up, or the fault changed
		}
		p.rp.ServeHTTP(w, r)
	default:
		// The fault changed after this connection was accepted: it is
		// being closed.
		panic(http.ErrAbortHandler)
	}
}

func chanClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// conn is an accepted or upstream connection the proxy closes when the
// fault changes.
type conn struct {
	net.Conn
	p    *Proxy
	gone atomic.Bool
	once sync.Once
}

func (c *conn) Close() error {
	var err error
	c.once.Do(func() {
		c.gone.Store(true)
		c.p.mu.Lock()
		delete(c.p.conns, c)
		c.p.mu.Unlock()
		err = c.Conn.Close()
	})
	return err
}

// handoff is the listener the HTTP server serves: the accept loop hands it
// the connections of the HTTP-level faults.
type handoff struct {
	addr net.Addr
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func newHandoff(addr net.Addr) *handoff {
	return &handoff{addr: addr, ch: make(chan net.Conn), done: make(chan struct{})}
}

func (h *handoff) push(c net.Conn) {
	select {
	case h.ch <- c:
	case <-h.done:
		_ = c.Close()
	}
}

func (h *handoff) Accept() (net.Conn, error) {
	select {
	case c := <-h.ch:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

func (h *handoff) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

func (h *handoff) Addr() net.Addr { return h.addr }

var _ net.Listener = (*handoff)(nil)
