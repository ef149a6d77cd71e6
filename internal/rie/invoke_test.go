package rie

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeEmulator points an Emulator at handler, an httptest stand-in for the
// emulator's invoke endpoint; the real emulator is exercised by internal/e2e.
func fakeEmulator(t *testing.T, mode Mode, handler http.HandlerFunc) *Emulator {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	transport := srv.Client().Transport.(*http.Transport)
	t.Cleanup(transport.CloseIdleConnections)
	return &Emulator{
		mode:   mode,
		addr:   strings.TrimPrefix(srv.URL, "http://"),
		client: srv.Client(),
		exited: make(chan struct{}),
	}
}

func unavailableAnswer(w http.ResponseWriter) {
	w.Header().Set(HeaderErrorType, ErrorTypeUnavailable)
	w.WriteHeader(http.StatusBadRequest)
	_, _ = io.WriteString(w, `{"errorType":"Runtime.Unavailable"}`)
}

func TestInvokeRetriesUnavailable(t *testing.T) {
	tests := []struct {
		name         string
		mode         Mode
		unavailable  int
		headerOnly   bool // the answer names the error in the body only
		wantStatus   int
		wantAttempts int
	}{
		{name: "managed, worker parked", mode: ManagedInstances, wantStatus: 200, wantAttempts: 1},
		{name: "managed, three refusals", mode: ManagedInstances, unavailable: 3, wantStatus: 200, wantAttempts: 4},
		{name: "managed, refusal named in the body", mode: ManagedInstances, unavailable: 1, headerOnly: true, wantStatus: 200, wantAttempts: 2},
		{name: "classic never re-sends", mode: Classic, unavailable: 1, wantStatus: 400, wantAttempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			e := fakeEmulator(t, tt.mode, func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				if int(calls.Add(1)) <= tt.unavailable {
					if tt.headerOnly {
						w.WriteHeader(http.StatusBadRequest)
						_, _ = io.WriteString(w, `{"errorType":"Runtime.Unavailable"}`)
						return
					}
					unavailableAnswer(w)
					return
				}
				_, _ = w.Write(body)
			})
			resp, err := e.Invoke(t.Context(), []byte(`{"n":1}`), nil)
			require.NoError(t, err)
			require.Equal(t, tt.wantStatus, resp.Status)
			require.Equal(t, tt.wantAttempts, resp.Attempts)
			require.EqualValues(t, tt.wantAttempts, calls.Load())
			if tt.wantStatus == 200 {
				require.JSONEq(t, `{"n":1}`, string(resp.Body))
			}
		})
	}
}

func TestInvokeOtherBadRequestIsAnswer(t *testing.T) {
	e := fakeEmulator(t, ManagedInstances, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(HeaderErrorType, "ErrMalformedRequest")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"errorType":"ErrMalformedRequest"}`)
	})
	resp, err := e.Invoke(t.Context(), []byte(`{}`), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusBadRequest, resp.Status)
	require.Equal(t, 1, resp.Attempts)
	require.Equal(t, "ErrMalformedRequest", resp.FunctionError())
}

func TestInvokeUnavailableStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var calls atomic.Int32
	e := fakeEmulator(t, ManagedInstances, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 3 {
			cancel()
		}
		unavailableAnswer(w)
	})
	_, err := e.Invoke(ctx, []byte(`{}`), nil)
	require.ErrorIs(t, err, context.Canceled)
}

func TestInvokeUnavailableStopsWhenEmulatorExits(t *testing.T) {
	exited := make(chan struct{})
	var once sync.Once
	e := fakeEmulator(t, ManagedInstances, func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(exited) })
		unavailableAnswer(w)
	})
	e.exited = exited
	_, err := e.Invoke(t.Context(), []byte(`{}`), nil)
	require.ErrorContains(t, err, "emulator exited")
}

func TestInvokeSendsHeaders(t *testing.T) {
	tests := []struct {
		name     string
		header   http.Header
		wantType string
	}{
		{name: "content type defaults to JSON", wantType: "application/json"},
		{name: "caller's content type kept", header: http.Header{"Content-Type": {"text/plain"}}, wantType: "text/plain"},
		{name: "trace header forwarded", header: http.Header{HeaderTraceID: {"Root=1-5759e988-bd862e3fe1be46a994272793"}}, wantType: "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan *http.Request, 1)
			e := fakeEmulator(t, Classic, func(w http.ResponseWriter, r *http.Request) {
				got <- r.Clone(context.Background())
			})
			_, err := e.Invoke(t.Context(), []byte(`{}`), tt.header)
			require.NoError(t, err)
			r := <-got
			require.Equal(t, http.MethodPost, r.Method)
			require.Equal(t, invokePath, r.URL.Path)
			h := r.Header
			require.Equal(t, tt.wantType, h.Get("Content-Type"))
			for k := range tt.header {
				require.Equal(t, tt.header.Get(k), h.Get(k))
			}
		})
	}
}

func TestInvokeClassicHoldsSerialLock(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	e := fakeEmulator(t, Classic, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
	})
	done := make(chan error, 1)
	go func() {
		_, err := e.Invoke(t.Context(), []byte(`{}`), nil)
		done <- err
	}()
	<-arrived
	require.False(t, e.serial.TryLock(), "a second classic invoke could start while one is in flight")
	close(release)
	require.NoError(t, <-done)
	require.True(t, e.serial.TryLock(), "the lock outlived the invoke")
	e.serial.Unlock()
}

func TestResponseFunctionError(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   string
	}{
		{name: "none"},
		{name: "lambda header", header: http.Header{"X-Amz-Function-Error": {"Unhandled"}}, want: "Unhandled"},
		{name: "managed-instances header", header: http.Header{"Error-Type": {"Function.ValidationError"}}, want: "Function.ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Response{Header: tt.header}
			if r.Header == nil {
				r.Header = http.Header{}
			}
			require.Equal(t, tt.want, r.FunctionError())
		})
	}
}

func TestResponseErrorDocument(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    *ErrorDocument
		wantErr string
	}{
		{name: "document", body: `{"errorMessage":"m","errorType":"T","stackTrace":[{"path":"p.go","line":3,"label":"f"}]}`,
			want: &ErrorDocument{Message: "m", Type: "T", StackTrace: []StackFrame{{Path: "p.go", Line: 3, Label: "f"}}}},
		{name: "plain text timeout", body: `Task timed out after 1.00 seconds`, wantErr: "not an error document"},
		{name: "success JSON", body: `{"echo":1}`, wantErr: "no errorType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := (&Response{Body: []byte(tt.body)}).ErrorDocument()
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, doc)
		})
	}
}

func TestEncodeClientContext(t *testing.T) {
	cc := map[string]any{"custom": map[string]string{"k": "v"}}
	v, err := EncodeClientContext(cc)
	require.NoError(t, err)
	raw, err := base64.StdEncoding.DecodeString(v)
	require.NoError(t, err)
	require.JSONEq(t, `{"custom":{"k":"v"}}`, string(raw))

	_, err = EncodeClientContext(func() {})
	var unsupported *json.UnsupportedTypeError
	require.True(t, errors.As(err, &unsupported), "got %v", err)
}
