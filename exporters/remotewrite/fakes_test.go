package remotewrite

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/snappy"
	"google.golang.org/protobuf/encoding/protowire"
)

// decodedSeries is one TimeSeries of a decoded WriteRequest.
type decodedSeries struct {
	Labels  map[string]string
	Samples []sample
}

// key renders the labels as name{a="b",...} with sorted names.
func (s decodedSeries) key() string {
	names := make([]string, 0, len(s.Labels))
	for n := range s.Labels {
		if n != "__name__" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%q", n, s.Labels[n])
	}
	return s.Labels["__name__"] + "{" + strings.Join(parts, ",") + "}"
}

// decodeWriteRequest decodes a snappy-compressed prometheus.WriteRequest,
// checking that every series' labels are sorted by name.
func decodeWriteRequest(body []byte) ([]decodedSeries, error) {
	raw, err := snappy.Decode(nil, body)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	var out []decodedSeries
	err = eachField(raw, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != fieldTimeseries || typ != protowire.BytesType {
			return fmt.Errorf("WriteRequest: unexpected field %d type %d", num, typ)
		}
		s := decodedSeries{Labels: map[string]string{}}
		var lastName string
		err := eachField(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
			switch num {
			case fieldLabels:
				var name, value string
				if err := eachField(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
					if num == fieldLabelName {
						name = string(v)
					} else {
						value = string(v)
					}
					return nil
				}); err != nil {
					return err
				}
				if name <= lastName {
					return fmt.Errorf("labels not sorted: %q after %q", name, lastName)
				}
				lastName = name
				s.Labels[name] = value
			case fieldSamples:
				var sm sample
				if err := eachField(v, func(num protowire.Number, _ protowire.Type, _ []byte, n uint64) error {
					if num == fieldSampleValue {
						sm.value = math.Float64frombits(n)
					} else {
						sm.ts = int64(n)
					}
					return nil
				}); err != nil {
					return err
				}
				s.Samples = append(s.Samples, sm)
			default:
				return fmt.Errorf("TimeSeries: unexpected field %d", num)
			}
			return nil
		})
		out = append(out, s)
		return err
	})
	return out, err
}

// eachField calls f for every field of a protobuf message: bytes fields get
// v, varint and fixed64 fields get n.
func eachField(b []byte, f func(num protowire.Number, typ protowire.Type, v []byte, n uint64) error) error {
	for len(b) > 0 {
		num, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			return protowire.ParseError(l)
		}
		b = b[l:]
		var v []byte
		var n uint64
		switch typ {
		case protowire.BytesType:
			v, l = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			n, l = protowire.ConsumeVarint(b)
		case protowire.Fixed64Type:
			n, l = protowire.ConsumeFixed64(b)
		default:
			return fmt.Errorf("unexpected wire type %d", typ)
		}
		if l < 0 {
			return protowire.ParseError(l)
		}
		b = b[l:]
		if err := f(num, typ, v, n); err != nil {
			return err
		}
	}
	return nil
}

// received is one request the fake receiver got.
type received struct {
	Header http.Header
	Series []decodedSeries
}

// fakeReceiver is an httptest remote write endpoint answering with status.
type fakeReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []received
	status int
	calls  int
}

func newFakeReceiver(t testing.TB, status int) *fakeReceiver {
	f := &fakeReceiver{status: status}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls++
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		series, err := decodeWriteRequest(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if f.status == http.StatusNoContent {
			f.reqs = append(f.reqs, received{Header: r.Header.Clone(), Series: series})
		}
		w.WriteHeader(f.status)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeReceiver) Received() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func (f *fakeReceiver) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// lambdaEnv clears the variables the exporter reads and sets kv.
func lambdaEnv(t testing.TB, kv map[string]string) {
	for _, name := range []string{
		EnvURL, EnvJob, EnvInstance, EnvLabels, EnvUsername, EnvPassword, EnvBearerToken, EnvHeaders,
		"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_INITIALIZATION_TYPE",
	} {
		t.Setenv(name, kv[name])
	}
}
