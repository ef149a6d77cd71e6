package xray

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func TestClientAddressFromForwardedFor(t *testing.T) {
	tests := []struct {
		name  string
		attrs []attribute.KeyValue
		want  map[string]any
	}{
		{
			name:  "header only",
			attrs: []attribute.KeyValue{attribute.StringSlice("http.request.header.x-forwarded-for", []string{" 203.0.113.9 , 10.0.0.1"})},
			want:  map[string]any{"client_ip": "203.0.113.9", "x_forwarded_for": true},
		},
		{
			name: "client.address wins",
			attrs: []attribute.KeyValue{
				attribute.String("client.address", "198.51.100.7"),
				attribute.StringSlice("http.request.header.x-forwarded-for", []string{"203.0.113.9"}),
			},
			want: map[string]any{"client_ip": "198.51.100.7"},
		},
		{
			name:  "empty header",
			attrs: []attribute.KeyValue{attribute.String("http.request.method", "GET"), attribute.StringSlice("http.request.header.x-forwarded-for", []string{" "})},
			want:  map[string]any{"method": "GET"},
		},
	}
	d := startDaemon(t)
	exp := newExporter(t, d)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stubSpan(tt.name)
			s.Attributes = tt.attrs
			require.NoError(t, exp.ExportSpans(t.Context(), []sdktrace.ReadOnlySpan{s.Snapshot()}))
			doc := d.next(t, t.Context())
			require.Equal(t, tt.want, doc["http"].(map[string]any)["request"])
		})
	}
}
