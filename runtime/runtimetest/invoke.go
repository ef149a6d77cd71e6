package runtimetest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lumen-rt/lumen/runtime"
)

// Endpoint is where the runtime posted an invocation's outcome.
type Endpoint string

// Endpoints of a [Post].
const (
	EndpointResponse Endpoint = "response" // POST /runtime/invocation/{id}/response
	EndpointError    Endpoint = "error"    // POST /runtime/invocation/{id}/error
	EndpointInit     Endpoint = "init"     // POST /runtime/init/error
)

// StatusAbandoned is the [Request.Status] of a request the runtime gave up
// before the server answered it (a GET /next cancelled on shutdown).
const StatusAbandoned = 499

// Post is one post the runtime made: everything it sent and what the server
// answered.
type Post struct {
	// Seq is the post's position in the server's record (0 without one).
	Seq int
	// Endpoint is where it was posted.
	Endpoint Endpoint
	// Status is the server's answer: 202 when accepted.
	Status int
	// Header is the post's header; Trailer its HTTP trailers, received after
	// the body.
	Header, Trailer http.Header
	// Body is the posted body, read to the end.
	Body []byte
	// Streamed is true when the post carried
	// Lambda-Runtime-Function-Response-Mode: streaming.
	Streamed bool
	// Chunked is true when the body came with chunked transfer encoding
	// (no Content-Length).
	Chunked bool
	// ContentType is the post's Content-Type.
	ContentType string
	// ErrorType is the typed error the post reported: the
	// Lambda-Runtime-Function-Error-Type header of an error post, or the
	// trailer of the same name ending a failed stream.
	ErrorType string
	// Dropped is true when the server closed the connection instead of
	// answering ([WithDroppedPost]).
	Dropped bool
}

// Failed reports whether the post reported a failure: a post to /error or
// /runtime/init/error, or a stream ended by error trailers.
func (p *Post) Failed() bool { return p.Endpoint != EndpointResponse || p.ErrorType != "" }

// ErrorDocument decodes the error the post reported: the body of an error
// post, or the base64 Lambda-Runtime-Function-Error-Body trailer of a failed
// stream.
func (p *Post) ErrorDocument() (runtime.ErrorDocument, error) {
	var doc runtime.ErrorDocument
	body := p.Body
	if p.Endpoint == EndpointResponse {
		enc := p.Trailer.Get(headerErrorBody)
		if enc == "" {
			return doc, errors.New("runtimetest: the post reported no error")
		}
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return doc, fmt.Errorf("runtimetest: %s trailer: %w", headerErrorBody, err)
		}
		body = b
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return doc, fmt.Errorf("runtimetest: error document: %w", err)
	}
	return doc, nil
}

// Result is everything the runtime did with one invocation. Its embedded
// [Post] is the final post (the zero Post when the event was never
// delivered); Posts lists every post, for example a refused /response
// followed by an /error.
type Result struct {
	Post
	// RequestID is the invocation's id.
	RequestID string
	// Delivered is false when the GET /next that would have delivered the
	// event was answered NextStatus instead ([WithNextStatus]).
	Delivered bool
	// NextStatus is the status the delivering GET /next was answered with.
	NextStatus int
	// Posts are every post for the invocation, in order.
	Posts []Post
}

// pending is one invocation, from Invoke to its final post. Its fields are
// owned by whoever holds it: Invoke until the hand-over on the queue, then
// the server (under Server.mu once delivered) until done is closed.
type pending struct {
	id              string
	payload         []byte
	header          http.Header
	defaultDeadline bool

	postStatus int
	postBody   string
	nextStatus int
	nextDelay  time.Duration
	postDelay  time.Duration
	dropNext   bool
	dropPost   bool

	redeliver chan struct{} // the delivery failed: Invoke hands the event over again
	done      chan struct{} // closed once result is final
	result    Result
}

// Invoke queues an event with payload, waits for a runtime worker to take it
// and returns once the runtime posted its outcome (or the server answered
// the delivering GET with a scripted status). It returns an error only when
// ctx ends, the server closes, or the runtime started by [Start] exits first.
func (s *Server) Invoke(ctx context.Context, payload []byte, opts ...InvokeOption) (*Result, error) {
	p := s.newPending(payload, opts)
	for {
		select {
		case s.queue <- p:
		case <-ctx.Done():
			return nil, fmt.Errorf("runtimetest: invocation %s not delivered: %w", p.id, context.Cause(ctx))
		case <-s.closing:
			return nil, ErrClosed
		case <-s.exited:
			return nil, s.exitedError()
		}
		select {
		case <-p.done:
			return &p.result, nil
		case <-p.redeliver:
			continue
		case <-ctx.Done():
			return p.finalOr(fmt.Errorf("runtimetest: invocation %s: %w", p.id, context.Cause(ctx)))
		case <-s.closing:
			return p.finalOr(ErrClosed)
		case <-s.exited:
			return p.finalOr(s.exitedError())
		}
	}
}

// finalOr prefers a result that became final at the same time as err.
func (p *pending) finalOr(err error) (*Result, error) {
	select {
	case <-p.done:
		return &p.result, nil
	default:
		return nil, err
	}
}

func (s *Server) newPending(payload []byte, opts []InvokeOption) *pending {
	n := s.ids.Add(1)
	p := &pending{
		payload:         payload,
		header:          make(http.Header, 4),
		defaultDeadline: true,
		redeliver:       make(chan struct{}, 1),
		done:            make(chan struct{}),
	}
	p.header.Set(headerRequestID, fmt.Sprintf("00000000-0000-4000-8000-%012x", n))
	p.header.Set(headerFunctionARN, DefaultFunctionARN)
	p.header.Set("Content-Type", "application/json")
	for _, opt := range opts {
		opt(p)
	}
	p.id = p.header.Get(headerRequestID)
	p.result.RequestID = p.id
	return p
}
