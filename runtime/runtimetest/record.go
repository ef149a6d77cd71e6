package runtimetest

import (
	"context"
	"net/http"
	"slices"
)

// Request is one request the runtime made, in the order the server received
// it. The record proves ordering: a flusher that looks at
// [Server.Requests] while it runs sees the post of the invocation that just
// ended as the last entry, and no GET /next after it.
type Request struct {
	// Seq is the request's position in the record, from 1.
	Seq int
	// Method and Path are the request line's.
	Method, Path string
	// RequestID is the invocation the request delivered (GET /next) or
	// posted for; empty for other requests and for a GET still waiting.
	RequestID string
	// Header is the request's header.
	Header http.Header
	// Status is the server's answer; 0 while the request is still waiting.
	Status int
}

// Extension is a registered extension.
type Extension struct {
	// Name is the Lambda-Extension-Name it registered with.
	Name string
	// ID is the Lambda-Extension-Identifier the server gave it.
	ID string
	// Events is the body of the register call, as sent.
	Events []byte
	// Seq is the register call's position in the record.
	Seq int
}

// record appends a request and returns its position, or 0 when the record
// is off.
func (s *Server) record(r *http.Request, id string) int {
	if !s.cfg.record {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Seq: len(s.requests) + 1, Method: r.Method, Path: r.URL.Path, RequestID: id, Header: r.Header,
	})
	s.notifyLocked()
	return len(s.requests)
}

// answered sets the status (and the delivered invocation) of a recorded
// request.
func (s *Server) answered(seq, status int, id string) {
	if seq <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	req := &s.requests[seq-1]
	req.Status = status
	if id != "" {
		req.RequestID = id
	}
	s.notifyLocked()
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Requests returns a copy of the record of every request so far, oldest
// first. It is empty when the server was made [WithoutRecord].
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// InitErrors returns every post to /runtime/init/error so far.
func (s *Server) InitErrors() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.initErrors)
}

// Extensions returns every registered extension so far.
func (s *Server) Extensions() []Extension {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.extensions)
}

// Await blocks until cond, called with the record (requests, oldest first)
// after every change, returns true, or until ctx ends or the server closes. It
// is how a test waits for the runtime to reach a state, such as polling for
// an event, without sleeping.
func (s *Server) Await(ctx context.Context, cond func([]Request) bool) error {
	for {
		s.mu.Lock()
		reqs := slices.Clone(s.requests)
		changed := s.changed
		s.mu.Unlock()
		if cond(reqs) {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-s.closing:
			return ErrClosed
		}
	}
}

// Polling is an [Server.Await] condition: at least n GET /next requests are
// waiting for an event.
func Polling(n int) func([]Request) bool {
	return func(reqs []Request) bool {
		waiting := 0
		for _, r := range reqs {
			if r.Method == http.MethodGet && r.Path == pathNext && r.Status == 0 {
				waiting++
			}
		}
		return waiting >= n
	}
}
