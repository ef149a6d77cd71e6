package runtime

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// postStream streams body to /response with
// Lambda-Runtime-Function-Response-Mode: streaming and chunked encoding. A
// read error or panic mid-stream ends the body and travels in the HTTP
// trailers Lambda-Runtime-Function-Error-Type and
// Lambda-Runtime-Function-Error-Body (base64 JSON error document). It returns
// the mid-stream failure, if any, and the post's own error.
func (c *client) postStream(id string, body io.Reader, contentType string) (*failure, error) {
	sr := &streamReader{r: body, trailer: http.Header{headerErrorType: nil, headerErrorBody: nil}}
	req, err := http.NewRequest(http.MethodPost, c.invokeURL+id+"/response", sr)
	if err != nil {
		return nil, fmt.Errorf("runtime API: %w", err)
	}
	req.ContentLength = -1
	req.Trailer = sr.trailer
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(headerResponseMode, "streaming")
	req.Header.Set("Trailer", headerErrorType+", "+headerErrorBody)
	err = c.post(req)
	sr.mu.Lock()
	defer sr.mu.Unlock()
	return sr.failed, err
}

// streamReader relays the handler's stream to the HTTP client and turns a
// failure of the stream into trailers.
type streamReader struct {
	r       io.Reader
	trailer http.Header

	mu     sync.Mutex
	failed *failure
}

func (s *streamReader) Read(p []byte) (n int, err error) {
	defer func() {
		if v := recover(); v != nil {
			f := newPanicFailure(v, panicStack(2))
			s.fail(&f)
			n, err = 0, io.EOF
		}
	}()
	n, err = s.r.Read(p)
	if err != nil && err != io.EOF {
		f := newFailure(err)
		s.fail(&f)
		return n, io.EOF
	}
	return n, err
}

func (s *streamReader) fail(f *failure) {
	body, _ := json.Marshal(&f.doc)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed = f
	s.trailer.Set(headerErrorType, f.headerType)
	s.trailer.Set(headerErrorBody, base64.StdEncoding.EncodeToString(body))
}

// Close closes the handler's stream if it is an io.Closer.
func (s *streamReader) Close() error {
	if c, ok := s.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
