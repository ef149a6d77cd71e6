package otlplog_test

import (
	"compress/gzip"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
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
	var body io.Reader = hr.Body
	if hr.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(hr.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	b, err := io.ReadAll(body)
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
		res := kvs(rl.GetResource().GetAttributes())
		for _, sl := range rl.GetScopeLogs() {
			for _, lr := range sl.GetLogRecords() {
				r.recs = append(r.recs, rec{
					Body:     lr.GetBody().GetStringValue(),
					Severity: lr.GetSeverityText(),
					TraceID:  hex.EncodeToString(lr.GetTraceId()),
					SpanID:   hex.EncodeToString(lr.GetSpanId()),
					Attrs:    kvs(lr.GetAttributes()),
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

func kvs(in []*commonpb.KeyValue) map[string]any {
	out := map[string]any{}
	for _, kv := range in {
		out[kv.GetKey()] = value(kv.GetValue())
	}
	return out
}

func value(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_KvlistValue:
		return kvs(x.KvlistValue.GetValues())
	case *commonpb.AnyValue_ArrayValue:
		var out []any
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, value(e))
		}
		return out
	case *commonpb.AnyValue_BytesValue:
		return x.BytesValue
	}
	return nil
}
