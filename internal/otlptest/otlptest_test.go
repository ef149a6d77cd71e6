package otlptest_test

import (
	"bytes"
	"compress/gzip"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/otlptest"
)

func TestReadBody(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, err := zw.Write([]byte("payload"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	tests := []struct {
		name, encoding string
		body           []byte
		want           string
		wantErr        bool
	}{
		{name: "plain", body: []byte("payload"), want: "payload"},
		{name: "gzip", encoding: "gzip", body: zipped.Bytes(), want: "payload"},
		{name: "not gzip", encoding: "gzip", body: []byte("payload"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/v1/traces", bytes.NewReader(tt.body))
			if tt.encoding != "" {
				r.Header.Set("Content-Encoding", tt.encoding)
			}
			got, err := otlptest.ReadBody(r)
			if tt.wantErr {
				require.ErrorContains(t, err, "gzip")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
		})
	}
}
