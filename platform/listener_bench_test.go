package platform

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// The listener's cost per delivery, in the function's process, without the
// network: reading the body, parsing it, queueing what it holds. (The
// HTTP server's own work per request comes on top.)
func BenchmarkServeBatch(b *testing.B) {
	for _, file := range []string{"emulator/managed-function-logs.json", "emulator/managed-init-and-two-invocations.json"} {
		body, err := os.ReadFile("testdata/" + file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(file, func(b *testing.B) {
			p := New()
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			rd := bytes.NewReader(body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				rd.Reset(body)
				r.Body = readCloser{rd}
				p.serveHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
				p.queue.take()
			}
		})
	}
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
