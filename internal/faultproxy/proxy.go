package faultproxy

import (
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
