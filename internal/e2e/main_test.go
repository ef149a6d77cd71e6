package e2e_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/testenv"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testfunc builds ./testfunc once per test binary and returns its path, or
// skips under -short.
func testfunc(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: runs the Runtime Interface Emulator")
	}
	testenv.Tool(t, rie.ToolName)
	return testenv.BuildBinary(t, "./internal/e2e/testfunc")
}

// event is what testfunc accepts.
type event struct {
	Op      string          `json:"op"`
	Data    json.RawMessage `json:"data,omitempty"`
	Message string          `json:"message,omitempty"`
	Size    int             `json:"size,omitempty"`
	MS      int             `json:"ms,omitempty"`
	N       int             `json:"n,omitempty"`
}

// reply is what testfunc answers.
type reply struct {
	Instance    string          `json:"instance"`
	Invocations int64           `json:"invocations"`
	Echo        json.RawMessage `json:"echo"`
	Context     *contextReply   `json:"context"`
	Trace       *traceReply     `json:"trace"`
	Big         string          `json:"big"`
}

type contextReply struct {
	RequestID          string        `json:"requestId"`
	InvokedFunctionARN string        `json:"invokedFunctionArn"`
	DeadlineMS         int64         `json:"deadlineMs"`
	HasDeadline        bool          `json:"hasDeadline"`
	ClientContext      clientContext `json:"clientContext"`
	FunctionName       string        `json:"functionName"`
	FunctionNameEnv    string        `json:"functionNameEnv"`
	ColdStart          bool          `json:"coldStart"`
	InfoRequestID      string        `json:"infoRequestId"`
	InitializationType string        `json:"initializationType"`
}

// clientContext is lambdacontext.ClientContext as it encodes.
type clientContext struct {
	Client struct {
		InstallationID string `json:"installation_id"`
		AppTitle       string `json:"app_title"`
		AppVersionCode string `json:"app_version_code"`
		AppPackageName string `json:"app_package_name"`
	} `json:"Client"`
	Env    map[string]string `json:"env"`
	Custom map[string]string `json:"custom"`
}

type traceReply struct {
	Context    string `json:"context"`
	Info       string `json:"info"`
	Env        string `json:"env"`
	EnvPresent bool   `json:"envPresent"`
}

// invoke sends ev and returns the answer.
func invoke(t *testing.T, em *rie.Emulator, ev event, header http.Header) *rie.Response {
	t.Helper()
	resp, err := em.InvokeJSON(t.Context(), ev, header)
	require.NoError(t, err)
	return resp
}

// invokeOK sends ev, requires a successful invocation and decodes the reply.
func invokeOK(t *testing.T, em *rie.Emulator, ev event, header http.Header) *reply {
	t.Helper()
	resp := invoke(t, em, ev, header)
	require.Equal(t, http.StatusOK, resp.Status, "body: %.300s", resp.Body)
	require.Empty(t, resp.FunctionError(), "body: %.300s", resp.Body)
	var r reply
	require.NoError(t, json.Unmarshal(resp.Body, &r), "body: %.300s", resp.Body)
	require.NotEmpty(t, r.Instance, "body: %.300s", resp.Body)
	return &r
}

// errorDocument requires resp to carry an error document and returns it.
func errorDocument(t *testing.T, resp *rie.Response) *rie.ErrorDocument {
	t.Helper()
	doc, err := resp.ErrorDocument()
	require.NoError(t, err)
	return doc
}
