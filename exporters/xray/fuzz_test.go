package xray

import (
	"bytes"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// FuzzDocument feeds arbitrary names, keys, values and stacks to the
// encoder: every document must be valid JSON that decodes back to the same
// strings (invalid UTF-8 aside), and fit in a datagram or be refused.
func FuzzDocument(f *testing.F) {
	f.Add("GET /hello", "tenant_id", "t-1", "boom", "goroutine 1 [running]:\nmain.f()\n\t/a.go:1 +0x1\n")
	f.Add("\x00\"\\", "a.b", "\xff\xfe", "", "\t:x")
	f.Fuzz(func(t *testing.T, name, key, value, msg, stack string) {
		s := stubSpan(name)
		s.Attributes = []attribute.KeyValue{attribute.String(key, value), attribute.StringSlice(key+"s", []string{value, msg})}
		s.Status = sdktrace.Status{Code: codes.Error, Description: msg}
		s.Events = []sdktrace.Event{{Name: "exception", Attributes: []attribute.KeyValue{
			attribute.String("exception.message", msg), attribute.String("exception.stacktrace", stack),
		}}}
		var e encoder
		b, ok := e.datagram(s.Snapshot(), MaxDatagramSize)
		if !ok {
			return
		}
		require.LessOrEqual(t, len(b), MaxDatagramSize)
		doc := b[len(Header):]
		require.True(t, json.Valid(doc), "%q", doc)
		var got struct {
			Name        string         `json:"name"`
			Annotations map[string]any `json:"annotations"`
		}
		require.NoError(t, json.Unmarshal(doc, &got))
		require.NotEmpty(t, got.Name)
	})
}

// captureConn keeps every datagram written to it.
type captureConn struct {
	net.Conn
	got [][]byte
}

func (c *captureConn) Write(b []byte) (int, error) {
	c.got = append(c.got, bytes.Clone(b))
	return len(b), nil
}

func (c *captureConn) SetWriteDeadline(time.Time) error { return nil }

// collectIDs adds the ids of doc and of its nested subsegments to ids.
func collectIDs(t *testing.T, doc map[string]any, ids map[string]int) {
	ids[doc["id"].(string)]++
	children, _ := doc["subsegments"].([]any)
	for _, c := range children {
		collectIDs(t, c.(map[string]any), ids)
	}
}

// FuzzTree exports six spans linked in a fuzzed shape, with fuzzed sizes,
// under a fuzzed datagram limit: every datagram is valid JSON within the
// limit, and every span is delivered exactly once or counted as dropped.
func FuzzTree(f *testing.F) {
	f.Add("GET /hello", "v", uint16(MaxDatagramSize), uint64(0), uint8(1))
	f.Add("x", "\xff\"", uint16(600), uint64(0x0123456789), uint8(40))
	f.Add("n", "long", uint16(300), uint64(0xfedcba9876543210), uint8(255))
	f.Fuzz(func(t *testing.T, name, value string, limit uint16, shape uint64, repeat uint8) {
		const n = 6
		stubs := make(tracetest.SpanStubs, n)
		for i := range stubs {
			s := stubSpan(name + strconv.Itoa(i))
			s.SpanContext = s.SpanContext.WithSpanID(trace.SpanID{0xf0, byte(i + 1)})
			// parent: an earlier span, or Lambda's segment
			if p := int(shape>>(4*i)) % (i + 1); p < i {
				s.Parent = stubs[p].SpanContext
			}
			s.StartTime = s.StartTime.Add(time.Duration(shape>>(8*i)&0xff) * time.Microsecond)
			s.Attributes = []attribute.KeyValue{attribute.String("k", strings.Repeat(value, int(repeat)*i))}
			stubs[i] = s
		}
		var c counter
		conn := &captureConn{}
		e := &Exporter{cfg: config{maxSize: int(limit), drops: &c}, conn: conn, addr: "capture"}
		err := e.ExportSpans(t.Context(), stubs.Snapshots())
		ids := map[string]int{}
		for _, b := range conn.got {
			require.LessOrEqual(t, len(b), int(limit))
			doc := b[len(Header):]
			require.True(t, json.Valid(doc), "%q", doc)
			var m map[string]any
			require.NoError(t, json.Unmarshal(doc, &m))
			collectIDs(t, m, ids)
		}
		for id, k := range ids {
			require.Equal(t, 1, k, "span %s sent %d times", id, k)
		}
		dropped := c.get("xray/traces")
		require.Equal(t, n, len(ids)+dropped)
		if dropped > 0 {
			require.ErrorIs(t, err, ErrDocumentTooLarge)
		} else {
			require.NoError(t, err)
		}
	})
}
