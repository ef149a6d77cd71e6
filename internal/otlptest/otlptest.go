// Package otlptest holds what Lumen's fake OTLP/HTTP receivers share: reading
// an export request's body as an OTLP exporter sends it.
package otlptest

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
)

// ReadBody reads an OTLP/HTTP request's body, gunzipping it when the
// exporter compressed it (Content-Encoding: gzip).
func ReadBody(r *http.Request) ([]byte, error) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return b, nil
}
