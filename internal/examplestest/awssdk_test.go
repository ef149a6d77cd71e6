package examplestest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/internal/xraytest"
	"github.com/lumen-rt/lumen/runtime"
)

// fakeDynamoDB answers GetItem for the table "customers" on 127.0.0.1 and
// records the trace headers of each request.
type fakeDynamoDB struct {
	srv *httptest.Server

	mu      sync.Mutex
	headers []http.Header
	errs    []string
}

func startFakeDynamoDB(t *testing.T, items map[string]json.RawMessage) *fakeDynamoDB {
	t.Helper()
	f := &fakeDynamoDB{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			TableName string
			Key       struct {
				ID struct{ S string } `json:"id"`
			}
		}
		err := json.NewDecoder(r.Body).Decode(&in)
		f.mu.Lock()
		f.headers = append(f.headers, r.Header.Clone())
		switch {
		case err != nil:
			f.errs = append(f.errs, "body: "+err.Error())
		case r.Header.Get("X-Amz-Target") != "DynamoDB_20120810.GetItem":
			f.errs = append(f.errs, "operation "+r.Header.Get("X-Amz-Target"))
		case in.TableName != "customers":
			f.errs = append(f.errs, "table "+in.TableName)
		case !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 "):
			f.errs = append(f.errs, "unsigned request")
		}
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("X-Amzn-RequestId", "FAKE-REQUEST-1")
		if item, ok := items[in.Key.ID.S]; ok {
			_, _ = w.Write([]byte(`{"Item":` + string(item) + `}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDynamoDB) requests() ([]http.Header, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]http.Header(nil), f.headers...), append([]string(nil), f.errs...)
}

// TestExampleAWSSDK runs examples/awssdk with its DynamoDB endpoint pointed
// at a fake on 127.0.0.1 (AWS_ENDPOINT_URL_DYNAMODB) and its spans sent to
// a stand-in X-Ray daemon, as Lambda's active tracing does: the answer is
// testdata/response.json, the request carried the SDK's span as its trace
// context, and that span reached the daemon as a subsegment of
// lumen.handle.
func TestExampleAWSSDK(t *testing.T) {
	requireEmulator(t)
	bin := buildExample(t, "./awssdk")
	db := startFakeDynamoDB(t, map[string]json.RawMessage{
		"42": json.RawMessage(`{"id":{"S":"42"},"name":{"S":"Ada Lovelace"},"email":{"S":"ada@example.com"}}`),
	})
	daemon := xraytest.Start(t)
	noFiles := filepath.Join(t.TempDir(), "absent")
	em := rie.StartClassic(t, bin, rie.WithFunctionName("customers-api"), rie.WithEnv(
		"TABLE_NAME=customers",
		"AWS_ENDPOINT_URL_DYNAMODB="+db.srv.URL,
		"AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=example-secret",
		"AWS_SESSION_TOKEN=", "AWS_PROFILE=", "AWS_CONFIG_FILE="+noFiles, "AWS_SHARED_CREDENTIALS_FILE="+noFiles,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_XRAY_DAEMON_ADDRESS="+daemon.Addr(), "OTEL_PROPAGATORS=tracecontext,baggage,xray-lambda",
		"OTEL_TRACES_EXPORTER=", "OTEL_EXPORTER_OTLP_ENDPOINT=", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=", "OTEL_TRACES_SAMPLER=",
	))

	resp, err := em.Invoke(t.Context(), testdata(t, "awssdk", "event.json"), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.Status)
	requireAnswer(t, "awssdk", resp)

	// The request carried the SDK's span as its trace context (W3C, and
	// X-Ray's header with xray-lambda in OTEL_PROPAGATORS).
	headers, errs := db.requests()
	require.Empty(t, errs)
	require.Len(t, headers, 1)
	parts := strings.Split(headers[0].Get("traceparent"), "-")
	require.Len(t, parts, 4, "traceparent %q", headers[0].Get("traceparent"))
	traceID, callID := "1-"+parts[1][:8]+"-"+parts[1][8:], parts[2]
	require.Contains(t, headers[0].Get("X-Amzn-Trace-Id"), "Root="+traceID+";Parent="+callID)

	// That span reached the daemon as a subsegment of lumen.handle.
	call, trace := waitFor(t, daemon, "for the DynamoDB call", func(s segment) bool { return s.ID == callID })
	require.Equal(t, traceID, call.TraceID)
	require.False(t, call.Error || call.Fault)
	handle, _ := waitFor(t, daemon, "lumen.handle of the call's trace", func(s segment) bool {
		return s.Name == runtime.SpanHandle && s.TraceID == traceID
	})
	require.Equal(t, handle.ID, call.ParentID, "the SDK's span is a child of lumen.handle; the trace:\n%+v", trace)
	require.Equal(t, "DynamoDB", call.Name, "X-Ray names an AWS call after its service")

	t.Run("unknown id", func(t *testing.T) {
		resp, err := em.Invoke(t.Context(), []byte(`{"id":"7"}`), nil)
		require.NoError(t, err)
		doc, err := resp.ErrorDocument()
		require.NoError(t, err)
		require.Equal(t, "NotFoundError", doc.Type)
		require.Equal(t, `no customer "7"`, doc.Message)
	})
}
