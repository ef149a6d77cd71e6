package runtimetest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// serveNext is GET /runtime/invocation/next: it parks until an Invoke hands
// over an event, then applies the event's faults and delivers it.
func (s *Server) serveNext(w http.ResponseWriter, r *http.Request) {
	seq := s.record(r, "")
	var p *pending
	select {
	case p = <-s.queue:
	case <-r.Context().Done():
		s.answered(seq, StatusAbandoned, "")
		return
	case <-s.closing:
		s.answered(seq, http.StatusServiceUnavailable, "")
		writeError(w, http.StatusServiceUnavailable, "Runtime.Closed", "the fake Runtime API is closing")
		return
	}
	delay := p.nextDelay
	p.nextDelay = 0 // a delay is spent on the first attempt, even an abandoned one
	if r.Context().Err() != nil || (delay > 0 && !s.wait(r.Context(), delay)) {
		s.answered(seq, StatusAbandoned, "")
		p.redeliver <- struct{}{}
		return
	}
	switch {
	case p.nextStatus != 0:
		s.answered(seq, p.nextStatus, p.id)
		writeError(w, p.nextStatus, "Runtime.Scripted", "scripted GET /next status")
		p.result.NextStatus = p.nextStatus
		close(p.done)
		return
	case p.dropNext:
		p.dropNext = false
		s.answered(seq, StatusAbandoned, "")
		drop(w)
		p.redeliver <- struct{}{}
		return
	}

	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	if p.defaultDeadline {
		h.Set(headerDeadlineMS, strconv.FormatInt(time.Now().Add(s.cfg.timeout).UnixMilli(), 10))
	}
	h.Set("Content-Length", strconv.Itoa(len(p.payload)))
	s.mu.Lock()
	p.result.Delivered = true
	s.inflight[p.id] = p
	s.mu.Unlock()
	s.answered(seq, http.StatusOK, p.id)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(p.payload)
}

// servePost is POST /runtime/invocation/{id}/response and …/error.
func (s *Server) servePost(endpoint Endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		seq := s.record(r, id)
		post := Post{
			Seq:         seq,
			Endpoint:    endpoint,
			Header:      r.Header,
			Streamed:    r.Header.Get(headerResponseMode) == "streaming",
			Chunked:     slices.Contains(r.TransferEncoding, "chunked"),
			ContentType: r.Header.Get("Content-Type"),
		}
		body, tooLarge, err := s.readBody(r, endpoint == EndpointResponse && !post.Streamed)
		if err != nil {
			// The runtime broke the body off: nothing to answer.
			s.answered(seq, StatusAbandoned, "")
			return
		}
		post.Body, post.Trailer = body, r.Trailer
		if endpoint == EndpointError {
			post.ErrorType = r.Header.Get(headerErrorType)
		} else {
			post.ErrorType = r.Trailer.Get(headerErrorType)
		}

		s.mu.Lock()
		p := s.inflight[id]
		first := p != nil && len(p.result.Posts) == 0
		s.mu.Unlock()
		if p == nil {
			post.Status = http.StatusBadRequest
			s.answered(seq, post.Status, "")
			writeError(w, post.Status, "InvalidRequestID", "invalid request id "+strconv.Quote(id))
			return
		}
		post.Status = http.StatusAccepted
		switch {
		case first && p.postDelay > 0 && !s.wait(r.Context(), p.postDelay):
			// The runtime gave up on its post (or the server is closing).
			post.Status = StatusAbandoned
			s.answered(seq, StatusAbandoned, "")
			s.finish(p, post)
			return
		case first && p.dropPost:
			post.Dropped = true
			post.Status = 0
			s.answered(seq, StatusAbandoned, "")
			s.finish(p, post)
			drop(w)
			return
		case first && p.postStatus != 0:
			post.Status = p.postStatus
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(p.postStatus)
			_, _ = io.WriteString(w, p.postBody)
		case tooLarge:
			post.Status = http.StatusRequestEntityTooLarge
			writeError(w, post.Status, "RequestEntityTooLarge",
				fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", s.cfg.responseLimit))
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, `{"status":"OK"}`)
		}
		s.answered(seq, post.Status, "")
		s.finish(p, post)
	}
}

// readBody reads a post's body to the end (so that the connection stays
// usable whatever the answer), keeping at most the response limit when
// limited.
func (s *Server) readBody(r *http.Request, limited bool) (body []byte, tooLarge bool, err error) {
	if !limited {
		body, err = readAll(r.Body, r.ContentLength)
		return body, false, err
	}
	body, err = readAll(io.LimitReader(r.Body, int64(s.cfg.responseLimit)+1), min(r.ContentLength, int64(s.cfg.responseLimit)+1))
	if err != nil {
		return nil, false, err
	}
	if len(body) > s.cfg.responseLimit {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return nil, false, err
		}
		return body[:s.cfg.responseLimit], true, nil
	}
	return body, false, nil
}

// readAll reads r to the end in one allocation when its size is known.
func readAll(r io.Reader, size int64) ([]byte, error) {
	if size <= 0 || size > 1<<30 {
		return io.ReadAll(r)
	}
	var buf bytes.Buffer
	buf.Grow(int(size) + bytes.MinRead)
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// finish adds a post to its invocation and ends the invocation: as in the
// Runtime API, any answer to a post ends it, a 413 included (the invoker
// then gets Function.ResponseSizeTooLarge, and a later post is refused).
func (s *Server) finish(p *pending, post Post) {
	s.mu.Lock()
	p.result.Posts = append(p.result.Posts, post)
	p.result.Post = post
	delete(s.inflight, p.id)
	s.mu.Unlock()
	close(p.done)
}

// serveInitError is POST /runtime/init/error.
func (s *Server) serveInitError(w http.ResponseWriter, r *http.Request) {
	seq := s.record(r, "")
	body, _, err := s.readBody(r, false)
	if err != nil {
		s.answered(seq, StatusAbandoned, "")
		return
	}
	post := Post{
		Seq: seq, Endpoint: EndpointInit, Status: http.StatusAccepted, Header: r.Header, Trailer: r.Trailer,
		Body: body, ContentType: r.Header.Get("Content-Type"), ErrorType: r.Header.Get(headerErrorType),
	}
	s.mu.Lock()
	s.initErrors = append(s.initErrors, post)
	s.mu.Unlock()
	s.answered(seq, http.StatusAccepted, "")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

// serveRegister is POST /extension/register.
func (s *Server) serveRegister(w http.ResponseWriter, r *http.Request) {
	seq := s.record(r, "")
	body, _, err := s.readBody(r, false)
	if err != nil {
		s.answered(seq, StatusAbandoned, "")
		return
	}
	name := r.Header.Get(headerExtensionNm)
	if name == "" {
		s.answered(seq, http.StatusBadRequest, "")
		writeError(w, http.StatusBadRequest, "Extension.InvalidExtensionName", "missing "+headerExtensionNm)
		return
	}
	s.mu.Lock()
	ext := Extension{Name: name, ID: fmt.Sprintf("ext-%d-%s", len(s.extensions)+1, name), Events: body, Seq: seq}
	s.extensions = append(s.extensions, ext)
	s.mu.Unlock()
	s.answered(seq, http.StatusOK, "")
	w.Header().Set(headerExtensionID, ext.ID)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"functionName":"test_function","functionVersion":"$LATEST","handler":"bootstrap"}`)
}

// serveExtensionNext is GET /extension/event/next. No events are ever sent:
// it parks until the extension gives up or the server closes, as Lambda does
// for an extension subscribed to nothing.
func (s *Server) serveExtensionNext(w http.ResponseWriter, r *http.Request) {
	seq := s.record(r, "")
	id := r.Header.Get(headerExtensionID)
	s.mu.Lock()
	known := false
	for _, e := range s.extensions {
		known = known || e.ID == id
	}
	s.mu.Unlock()
	if !known {
		s.answered(seq, http.StatusForbidden, "")
		writeError(w, http.StatusForbidden, "Extension.UnknownExtensionIdentifier", "unknown "+headerExtensionID)
		return
	}
	select {
	case <-r.Context().Done():
		s.answered(seq, StatusAbandoned, "")
	case <-s.closing:
		s.answered(seq, http.StatusServiceUnavailable, "")
		writeError(w, http.StatusServiceUnavailable, "Runtime.Closed", "the fake Runtime API is closing")
	}
}
