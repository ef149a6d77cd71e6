package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

const integrationResponse = "application/vnd.awslambda.http-integration-response"

// closer records that the runtime closed the stream. Its fields are
// unexported, so it has no JSON form and is streamed.
type closer struct {
	r      io.Reader
	closed *atomic.Bool
}

func (c closer) Read(p []byte) (int, error) { return c.r.Read(p) }
func (c closer) Close() error               { c.closed.Store(true); return nil }

// failingReader yields data, then fails.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

type streamBroken struct{}

func (streamBroken) Error() string { return "upstream went away" }

type panickingReader struct{ reads int }

func (r *panickingReader) Read(p []byte) (int, error) {
	if r.reads++; r.reads > 1 {
		panic("reader exploded")
	}
	return copy(p, "partial"), nil
}

// jsonReader is an io.Reader with a JSON form of its own: it is encoded,
// not streamed, as aws-lambda-go does.
type jsonReader struct {
	Kind string `json:"kind"`
}

func (jsonReader) Read([]byte) (int, error) { return 0, io.EOF }

func TestStreamingResponses(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("0123456789"), 100_000) // 1 MB, over the buffered test limit below
	tests := []struct {
		name      string
		result    func(closed *atomic.Bool) any
		wantCT    string
		wantBody  []byte
		streamed  bool
		wantClose bool
	}{
		{name: "io.Reader", result: func(*atomic.Bool) any { return strings.NewReader("streamed bytes") },
			wantCT: "application/octet-stream", wantBody: []byte("streamed bytes"), streamed: true},
		{name: "large stream passes the buffered limit", result: func(*atomic.Bool) any { return bytes.NewReader(big) },
			wantCT: "application/octet-stream", wantBody: big, streamed: true},
		{name: "io.ReadCloser is closed", result: func(c *atomic.Bool) any { return closer{strings.NewReader("x"), c} },
			wantCT: "application/octet-stream", wantBody: []byte("x"), streamed: true, wantClose: true},
		{name: "Function URL streaming response", result: func(c *atomic.Bool) any {
			return &events.LambdaFunctionURLStreamingResponse{StatusCode: 201, Headers: map[string]string{"Content-Type": "text/plain"},
				Body: closer{strings.NewReader("hello"), c}}
		}, wantCT: integrationResponse, streamed: true, wantClose: true,
			wantBody: append([]byte(`{"statusCode":201,"headers":{"Content-Type":"text/plain"}}`+"\x00\x00\x00\x00\x00\x00\x00\x00"), "hello"...)},
		{name: "API Gateway streaming response", result: func(*atomic.Bool) any {
			return &events.APIGatewayProxyStreamingResponse{StatusCode: 200, Cookies: []string{"a=b"}, Body: strings.NewReader("hi")}
		}, wantCT: integrationResponse, streamed: true,
			wantBody: append([]byte(`{"statusCode":200,"cookies":["a=b"]}`+"\x00\x00\x00\x00\x00\x00\x00\x00"), "hi"...)},
		{name: "reader with a JSON form is encoded", result: func(*atomic.Bool) any { return jsonReader{Kind: "k"} },
			wantCT: "application/json", wantBody: []byte(`{"kind":"k"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var closed atomic.Bool
			h := start(t, func() (any, error) { return tt.result(&closed), nil }, []runtimetest.ServerOption{runtimetest.WithResponseLimit(1000)})
			res := h.invoke(t, `{}`)
			require.Equal(t, http.StatusAccepted, res.Status)
			require.Equal(t, runtimetest.EndpointResponse, res.Endpoint)
			require.Equal(t, tt.wantCT, res.ContentType)
			require.Equal(t, tt.wantBody, res.Body)
			require.Equal(t, tt.streamed, res.Streamed)
			require.Equal(t, tt.streamed, res.Chunked)
			require.False(t, res.Failed())
			if tt.streamed {
				require.Contains(t, res.Trailer, "Lambda-Runtime-Function-Error-Type", "trailers are announced")
				require.Contains(t, res.Trailer, "Lambda-Runtime-Function-Error-Body")
				require.Empty(t, res.Trailer.Get("Lambda-Runtime-Function-Error-Type"))
			}
			require.Equal(t, tt.wantClose, closed.Load())
		})
	}
}

func TestStreamFailsMidway(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		stream   func() io.Reader
		wantBody string
		wantType string
		wantDoc  string
		header   string
	}{
		{name: "read error", stream: func() io.Reader { return &failingReader{data: []byte("first half"), err: streamBroken{}} },
			wantBody: "first half", wantType: "streamBroken", wantDoc: "upstream went away", header: "Function.StreamBroken"},
		{name: "typed read error", stream: func() io.Reader {
			return &failingReader{data: []byte("x"), err: errors.New("plain")}
		}, wantBody: "x", wantType: "errorString", wantDoc: "plain", header: "Function.ErrorString"},
		{name: "panic while reading", stream: func() io.Reader { return &panickingReader{} },
			wantBody: "partial", wantType: "string", wantDoc: "reader exploded", header: runtime.ErrorTypePanic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func(_ context.Context, e struct{ Fail bool }) (io.Reader, error) {
				if !e.Fail {
					return strings.NewReader("fine"), nil
				}
				return tt.stream(), nil
			}, nil)
			res := h.invoke(t, `{"Fail":true}`)
			require.True(t, res.Streamed)
			require.Equal(t, http.StatusAccepted, res.Status)
			require.Equal(t, tt.wantBody, string(res.Body))
			require.True(t, res.Failed())
			require.Equal(t, tt.header, res.ErrorType)
			require.Equal(t, tt.header, res.Trailer.Get("Lambda-Runtime-Function-Error-Type"))
			doc, err := res.ErrorDocument()
			require.NoError(t, err)
			require.Equal(t, tt.wantType, doc.Type)
			require.Equal(t, tt.wantDoc, doc.Message)

			// The runtime keeps serving.
			res = h.invoke(t, `{"Fail":false}`)
			require.Equal(t, "fine", string(res.Body))
			require.False(t, res.Failed())
			require.NoError(t, h.stop(t))
		})
	}
}
