package e2e_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

// TestExampleHello runs examples/hello, the function `make demo` shows,
// under the emulator as its README describes.
func TestExampleHello(t *testing.T) {
	testfunc(t) // skips under -short or without the emulator
	em := rie.StartClassic(t, testenv.BuildBinary(t, "./examples/hello"))

	type greeting struct {
		Message   string `json:"message"`
		RequestID string `json:"requestId"`
		ColdStart bool   `json:"coldStart"`
	}
	tests := []struct {
		name      string
		payload   string
		want      *greeting
		wantError string
	}{
		{name: "first greeting is the cold start", payload: `{"name":"Ada"}`, want: &greeting{Message: "Hello, Ada!", ColdStart: true}},
		{name: "second greeting", payload: `{"name":"Grace"}`, want: &greeting{Message: "Hello, Grace!"}},
		{name: "no name", payload: `{"name":""}`, wantError: "MissingNameError"},
		{name: "name of the wrong type", payload: `{"name":42}`, wantError: "Runtime.UnmarshalError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := em.Invoke(t.Context(), []byte(tt.payload), nil)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.Status)
			if tt.wantError != "" {
				require.Equal(t, tt.wantError, errorDocument(t, resp).Type)
				return
			}
			var got greeting
			require.NoError(t, json.Unmarshal(resp.Body, &got))
			require.Regexp(t, uuidRE, got.RequestID)
			got.RequestID = ""
			require.Equal(t, *tt.want, got)
		})
	}
}
