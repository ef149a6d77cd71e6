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
// buffer is written again only once every body taken from it is closed.
type payload struct {
	buf []byte

	mu      sync.Mutex
	readers int
	free    chan struct{} // closed when readers drops to 0
}

// newPayload tracks the readers of buf.
func newPayload(buf []byte) *payload { return &payload{buf: buf} }

// body returns a new reader of the buffer, for Request.Body and GetBody.
func (p *payload) body() io.ReadCloser {
	p.mu.Lock()
	if p.readers == 0 {
		p.free = make(chan struct{})
	}
	p.readers++
	p.mu.Unlock()
	b := &payloadBody{p: p}
	b.Reset(p.buf)
	return b
}

// getBody is the request's GetBody.
func (p *payload) getBody() (io.ReadCloser, error) { return p.body(), nil }

// wait returns true once every body is closed, or false if ctx ends first.
func (p *payload) wait(ctx context.Context) bool {
	p.mu.Lock()
	if p.readers == 0 {
		p.mu.Unlock()
		return true
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

func (p *payload) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.readers--
	if p.readers == 0 {
		close(p.free)
	}
}

// payloadBody is one reader of a payload's buffer.
type payloadBody struct {
	bytes.Reader
	p    *payload
	once sync.Once
}

// Close releases the buffer; later calls do nothing.
func (b *payloadBody) Close() error {
	b.once.Do(b.p.release)
	return nil
}
