package examplestest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// TestExampleHello runs examples/hello, the function `make demo` shows,
// under the emulator as its README describes: its answer carries the
// request id, so it is checked field by field rather than against a file.
func TestExampleHello(t *testing.T) {
	requireEmulator(t)
	em := rie.StartClassic(t, buildExample(t, "./hello"))

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
				doc, err := resp.ErrorDocument()
				require.NoError(t, err)
				require.Equal(t, tt.wantError, doc.Type)
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
