package main

import (
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/require"
)

func TestHandle(t *testing.T) {
	tests := []struct {
		name       string
		method, id string
		wantStatus int
		wantBody   string
	}{
		{name: "known order", method: "GET", id: "43", wantStatus: http.StatusOK, wantBody: `{"id":"43","status":"packing","items":1}`},
		{name: "unknown order", method: "GET", id: "7", wantStatus: http.StatusNotFound, wantBody: `{"error":"no order 7"}`},
		{name: "other method", method: "DELETE", id: "42", wantStatus: http.StatusMethodNotAllowed, wantBody: `{"error":"only GET is allowed"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := handle(t.Context(), events.APIGatewayProxyRequest{HTTPMethod: tt.method, PathParameters: map[string]string{"id": tt.id}})
			require.NoError(t, err, "an HTTP error is an answer, not a failed invocation")
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			require.Equal(t, "application/json", resp.Headers["Content-Type"])
			require.JSONEq(t, tt.wantBody, resp.Body)
		})
	}
}
