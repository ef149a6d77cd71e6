package faultproxy

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

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
