package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

func traceRequest(names ...string) *coltracepb.ExportTraceServiceRequest {
	var spans []*tracepb.Span
	for _, n := range names {
		spans = append(spans, &tracepb.Span{Name: n})
	}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans}},
	}}}
}

func send(t *testing.T, url string, body []byte, gzipped bool) int {
	t.Helper()
	if gzipped {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, err := zw.Write(body)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		body = b.Bytes()
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-protobuf")
	if gzipped {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode
}

func TestSink(t *testing.T) {
	valid, err := proto.Marshal(traceRequest("a", "b"))
	require.NoError(t, err)
	tests := []struct {
		name      string
		status    int
		body      []byte
		gzip      bool
		wantCode  int
		wantSpans int
		wantErrs  int
	}{
		{name: "plain", body: valid, wantCode: 200, wantSpans: 2},
		{name: "gzip", body: valid, gzip: true, wantCode: 200, wantSpans: 2},
		{name: "garbage is rejected and reported", body: []byte{0xff, 0xff, 0xff}, wantCode: 400, wantErrs: 1},
		{name: "refusing", status: http.StatusServiceUnavailable, body: valid, wantCode: 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSink(t)
			if tt.status != 0 {
				s.SetStatus(tt.status)
			}
			require.Equal(t, tt.wantCode, send(t, s.URL()+"/v1/traces", tt.body, tt.gzip))
			require.Len(t, s.Spans(), tt.wantSpans)
			require.Len(t, s.Errors(), tt.wantErrs)
		})
	}
}

func TestSinkWait(t *testing.T) {
	s := NewSink(t)
	b, err := proto.Marshal(traceRequest("first"))
	require.NoError(t, err)

	done := make(chan []*tracepb.Span)
	go func() {
		spans, err := s.WaitSpans(context.Background(), 2)
		if err != nil {
			spans = nil
		}
		done <- spans
	}()
	require.Equal(t, 200, send(t, s.URL()+"/v1/traces", b, false))
	b, err = proto.Marshal(traceRequest("second"))
	require.NoError(t, err)
	require.Equal(t, 200, send(t, s.URL()+"/v1/traces", b, false))
	spans := <-done
	require.Len(t, spans, 2)
	require.Equal(t, "second", spans[1].GetName())

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got, err := s.WaitSpans(ctx, 3)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, err, "2 of 3 spans")
	require.Len(t, got, 2)
}
