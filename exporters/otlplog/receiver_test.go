package otlplog_test

import (
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/internal/otlptest"
)

// receiver is an OTLP/HTTP logs endpoint on loopback that decodes every
// export request; respond decides the answer (default: 200, empty body).
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	recs    []rec
	arrived chan struct{} // one token per request, never blocks the sender
	respond func(w http.ResponseWriter, req *collogspb.ExportLogsServiceRequest)
}

// rec is one decoded log record with its resource.
type rec struct {
	Body, Severity  string
	TraceID, SpanID string
	Attrs           map[string]any
	Resource        map[string]any
	Scope           string
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{arrived: make(chan struct{}, 1024)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, hr *http.Request) {
	if hr.Method != http.MethodPost || hr.URL.Path != "/v1/logs" {
		http.Error(w, "want POST /v1/logs", http.StatusNotFound)
		return
	}
	b, err := otlptest.ReadBody(hr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := &collogspb.ExportLogsServiceRequest{}
	if err := proto.Unmarshal(b, req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	respond := r.respond
	r.mu.Unlock()
	if respond != nil {
		respond(w, req)
	} else {
		r.accept(req)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}
	select {
	case r.arrived <- struct{}{}:
	default:
	}
}

// accept stores the records of req.
func (r *receiver) accept(req *collogspb.ExportLogsServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rl := range req.GetResourceLogs() {
		res := otlptest.Attributes(rl.GetResource().GetAttributes())
		for _, sl := range rl.GetScopeLogs() {
			for _, lr := range sl.GetLogRecords() {
				r.recs = append(r.recs, rec{
					Body:     lr.GetBody().GetStringValue(),
					Severity: lr.GetSeverityText(),
					TraceID:  hex.EncodeToString(lr.GetTraceId()),
					SpanID:   hex.EncodeToString(lr.GetSpanId()),
					Attrs:    otlptest.Attributes(lr.GetAttributes()),
					Resource: res,
					Scope:    sl.GetScope().GetName(),
				})
			}
		}
	}
}

func (r *receiver) setRespond(f func(w http.ResponseWriter, req *collogspb.ExportLogsServiceRequest)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.respond = f
}

// records returns the records received so far.
func (r *receiver) records() []rec {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]rec(nil), r.recs...)
}

// waitRecords waits, until the test's deadline, for at least n records.
func (r *receiver) waitRecords(t *testing.T, n int) []rec {
	t.Helper()
	for {
		if got := r.records(); len(got) >= n {
			return got
		}
		select {
		case <-r.arrived:
		case <-t.Context().Done():
			require.FailNow(t, "records did not arrive", "got %d, want %d", len(r.records()), n)
		}
	}
}
