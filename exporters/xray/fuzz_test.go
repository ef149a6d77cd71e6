package xray

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
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
