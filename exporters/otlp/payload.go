package otlp

import (
	"bytes"
	"context"
	"io"
	"sync"
)

// payload hands a request body over a reused buffer to the HTTP transport
// and tells when the buffer is free again. The transport may read a body
// after Client.Do returns (it closes it when done, possibly later), so the
// buffer is written again only once every body taken from it is closed. A
// sender reuses its payload from one request to the next while it is free.
type payload struct {
	buf     []byte
	first   payloadBody // the Request.Body; GetBody makes others
	getBody func() (io.ReadCloser, error)

	mu      sync.Mutex
	readers int
	free    chan struct{} // made by a waiter, closed when readers drops to 0
}

func newPayload() *payload {
	p := &payload{}
	p.getBody = p.another
	return p
}

// reset points the payload at buf. It must be free.
func (p *payload) reset(buf []byte) { p.buf = buf }

// body returns the request's body.
func (p *payload) body() io.ReadCloser {
	p.take()
	p.first = payloadBody{p: p}
	p.first.Reset(p.buf)
	return &p.first
}

// another returns one more reader of the buffer, for GetBody.
func (p *payload) another() (io.ReadCloser, error) {
	p.take()
	b := &payloadBody{p: p}
	b.Reset(p.buf)
	return b, nil
}

func (p *payload) take() {
	p.mu.Lock()
	p.readers++
	p.mu.Unlock()
}

func (p *payload) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.readers--
	if p.readers == 0 && p.free != nil {
		close(p.free)
		p.free = nil
	}
}

// wait returns true once every body is closed, or false if ctx ends first.
func (p *payload) wait(ctx context.Context) bool {
	p.mu.Lock()
	if p.readers == 0 {
		p.mu.Unlock()
		return true
	}
	if p.free == nil {
		p.free = make(chan struct{})
	}
	free := p.free
	p.mu.Unlock()
	select {
	case <-free:
		return true
	case <-ctx.Done():
		return false
	}
}

// payloadBody is one reader of a payload's buffer.
type payloadBody struct {
	bytes.Reader
	p      *payload
	closed bool // guarded by p.mu
}

// Close releases the buffer; later calls do nothing.
func (b *payloadBody) Close() error {
	b.p.mu.Lock()
	if b.closed {
		b.p.mu.Unlock()
		return nil
	}
	b.closed = true
	b.p.mu.Unlock()
	b.p.release()
	return nil
}
