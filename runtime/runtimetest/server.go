package runtimetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"
)

// Runtime API paths and headers the server speaks.
const (
	pathNext         = "/2018-06-01/runtime/invocation/next"
	pathInvocation   = "/2018-06-01/runtime/invocation/"
	pathInitError    = "/2018-06-01/runtime/init/error"
	pathExtRegister  = "/2020-01-01/extension/register"
	pathExtEventNext = "/2020-01-01/extension/event/next"

	headerRequestID    = "Lambda-Runtime-Aws-Request-Id"
	headerDeadlineMS   = "Lambda-Runtime-Deadline-Ms"
	headerFunctionARN  = "Lambda-Runtime-Invoked-Function-Arn"
	headerErrorType    = "Lambda-Runtime-Function-Error-Type"
	headerErrorBody    = "Lambda-Runtime-Function-Error-Body"
	headerResponseMode = "Lambda-Runtime-Function-Response-Mode"
	headerExtensionID  = "Lambda-Extension-Identifier"
	headerExtensionNm  = "Lambda-Extension-Name"
)

// ErrClosed is returned by [Server.Invoke] once the server is closed.
var ErrClosed = errors.New("runtimetest: server closed")

// ErrRuntimeExited is returned by [Server.Invoke] when the runtime started by
// [Start] has returned; the error wraps the runtime's own error, if any.
var ErrRuntimeExited = errors.New("runtimetest: the runtime exited")

// Server is a fake Lambda Runtime API on a loopback httptest server. It is
// safe for concurrent use: any number of runtime workers may poll it and any
// number of goroutines may call [Server.Invoke].
type Server struct {
	cfg     serverConfig
	http    *httptest.Server
	queue   chan *pending // unbuffered: an Invoke hands its event to one GET
	closing chan struct{}
	once    sync.Once
	ids     atomic.Uint64

	mu         sync.Mutex
	inflight   map[string]*pending // delivered, waiting for the final post
	requests   []Request
	initErrors []Post
	extensions []Extension
	changed    chan struct{} // closed and replaced on every change of the record

	// Set by Start: closed when the runtime returned, and its error.
	exited  chan struct{}
	exitErr error
}

// NewServer starts a fake Runtime API on 127.0.0.1. Close it when done;
// [Start] does so itself.
func NewServer(opts ...ServerOption) *Server {
	s := &Server{
		cfg:      serverConfig{responseLimit: DefaultResponseLimit, timeout: DefaultFunctionTimeout, record: true},
		queue:    make(chan *pending),
		closing:  make(chan struct{}),
		inflight: make(map[string]*pending),
		changed:  make(chan struct{}),
	}
	for _, opt := range opts {
		opt.apply(&s.cfg)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+pathNext, s.serveNext)
	mux.HandleFunc("POST "+pathInvocation+"{id}/response", s.servePost(EndpointResponse))
	mux.HandleFunc("POST "+pathInvocation+"{id}/error", s.servePost(EndpointError))
	mux.HandleFunc("POST "+pathInitError, s.serveInitError)
	mux.HandleFunc("POST "+pathExtRegister, s.serveRegister)
	mux.HandleFunc("GET "+pathExtEventNext, s.serveExtensionNext)
	s.http = httptest.NewServer(mux)
	return s
}

// Addr is the server's host:port, the value of AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return s.http.Listener.Addr().String() }

// URL is the server's base URL, http://127.0.0.1:port.
func (s *Server) URL() string { return s.http.URL }

// Close stops the server: parked GETs are answered 503, pending Invoke calls
// return [ErrClosed], and Close waits for every handler to return. It is
// idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		s.http.CloseClientConnections()
		s.http.Close()
	})
}

// Exited is closed when the runtime started by [Start] has returned. For a
// server made with [NewServer] it is nil, and never ready.
func (s *Server) Exited() <-chan struct{} { return s.exited }

// Err is the error the runtime started by [Start] returned; valid once
// [Server.Exited] is closed.
func (s *Server) Err() error {
	if s.exited == nil {
		return nil
	}
	<-s.exited
	return s.exitErr
}

func (s *Server) exitedError() error {
	if s.exitErr != nil {
		return fmt.Errorf("%w: %w", ErrRuntimeExited, s.exitErr)
	}
	return ErrRuntimeExited
}

// wait sleeps for d unless the request is abandoned or the server closes; it
// reports whether the full delay passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closing:
		return false
	}
}

// drop closes the request's connection without answering.
func drop(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	if conn, _, err := rc.Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler) // cannot hijack (HTTP/2): abort the stream
}

// writeError answers like the Runtime API does: a JSON error document.
func writeError(w http.ResponseWriter, status int, errorType, message string) {
	body, _ := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{message, errorType})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
