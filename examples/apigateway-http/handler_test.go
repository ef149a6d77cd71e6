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
		param      string
		wantStatus int
		wantBody   string
	}{
		{name: "name", param: "Grace", wantStatus: http.StatusOK, wantBody: `{"message":"Hello, Grace!"}`},
		{name: "blank name", param: "  ", wantStatus: http.StatusBadRequest, wantBody: `{"error":"the path has no name"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := handle(t.Context(), events.APIGatewayV2HTTPRequest{PathParameters: map[string]string{"name": tt.param}})
			require.NoError(t, err)
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			require.JSONEq(t, tt.wantBody, resp.Body)
		})
	}
}
