package main

import (
	"io"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

func TestHandle(t *testing.T) {
	tests := []struct {
		name       string
		query      map[string]string
		wantStatus int
		wantBody   string
	}{
		{name: "one step", query: map[string]string{"steps": "1"}, wantStatus: 200,
			wantBody: "event: progress\ndata: {\"step\":1,\"of\":1}\n\nevent: done\ndata: {}\n\n"},
		{name: "not a number", query: map[string]string{"steps": "many"}, wantStatus: 400, wantBody: "steps must be 1 to 100\n"},
		{name: "too many", query: map[string]string{"steps": "101"}, wantStatus: 400, wantBody: "steps must be 1 to 100\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := handle(t.Context(), events.LambdaFunctionURLRequest{QueryStringParameters: tt.query})
			require.NoError(t, err)
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, tt.wantBody, string(body))
		})
	}
}

// TestHandleClosedEarly: when the runtime closes the stream before its end
// (the client went away), the writing goroutine returns; goleak checks it.
func TestHandleClosedEarly(t *testing.T) {
	resp, err := handle(t.Context(), events.LambdaFunctionURLRequest{QueryStringParameters: map[string]string{"steps": "100"}})
	require.NoError(t, err)
	require.NoError(t, resp.Close())
}
