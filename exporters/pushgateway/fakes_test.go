package pushgateway_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// request is what the fake gateway received.
type request struct {
	Method, Path string
	Header       http.Header
	Families     map[string]*dto.MetricFamily
}

// fakeGateway is an httptest Pushgateway that records requests and answers
// with status.
type fakeGateway struct {
	*httptest.Server
	mu       sync.Mutex
	requests []request
	status   int
	inFlight int
	maxIn    int
}

func newFakeGateway(t *testing.T, status int) *fakeGateway {
	f := &fakeGateway{status: status}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGateway) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.inFlight++
	f.maxIn = max(f.maxIn, f.inFlight)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inFlight--; f.mu.Unlock() }()

	rec := request{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Families: map[string]*dto.MetricFamily{}}
	dec := expfmt.NewDecoder(r.Body, expfmt.NewFormat(expfmt.TypeProtoDelim))
	for {
		mf := &dto.MetricFamily{}
		if err := dec.Decode(mf); err != nil {
			if !errors.Is(err, io.EOF) {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			break
		}
		rec.Families[mf.GetName()] = mf
	}
	f.mu.Lock()
	f.requests = append(f.requests, rec)
	f.mu.Unlock()
	if r.Method == http.MethodDelete && f.status == http.StatusOK {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.WriteHeader(f.status)
}

func (f *fakeGateway) Requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

// lambdaEnv clears the variables the exporter reads and sets kv.
func lambdaEnv(t *testing.T, kv map[string]string) {
	for _, name := range []string{
		"LUMEN_PUSHGATEWAY_URL", "LUMEN_PUSHGATEWAY_JOB", "LUMEN_METRICS_INSTANCE", "LUMEN_PUSHGATEWAY_GROUPING",
		"LUMEN_PUSHGATEWAY_USERNAME", "LUMEN_PUSHGATEWAY_PASSWORD", "LUMEN_PUSHGATEWAY_BEARER_TOKEN",
		"LUMEN_PUSHGATEWAY_HEADERS", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
		"AWS_LAMBDA_INITIALIZATION_TYPE",
	} {
		t.Setenv(name, kv[name])
	}
}
