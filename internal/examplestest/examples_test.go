package examplestest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
)

// TestExamples runs each example that needs nothing but its event under
// the emulator, invokes it with testdata/event.json and requires its
// expected answer. The examples that talk to other services have tests of
// their own (awssdk_test.go, otellambda_test.go).
func TestExamples(t *testing.T) {
	requireEmulator(t)
	tests := []struct {
		example string
		env     []string
	}{
		{example: "apigateway-rest"},
		{example: "apigateway-http"},
		{example: "sqs"},
		{example: "streaming"},
		{example: "scheduled"},
	}
	for _, tt := range tests {
		t.Run(tt.example, func(t *testing.T) {
			t.Parallel()
			bin := buildExample(t, "./"+tt.example)
			em := rie.StartClassic(t, bin, rie.WithFunctionName(tt.example), rie.WithEnv(tt.env...))
			resp, err := em.Invoke(t.Context(), testdata(t, tt.example, "event.json"), nil)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.Status, "body: %.500s", resp.Body)
			requireAnswer(t, tt.example, resp)
		})
	}
}
