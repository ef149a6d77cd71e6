package exportertest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Blackhole is an httptest server that accepts requests and never answers
// until the request's context ends or the test ends. Arrived receives one
// value per request that reached the handler (up to 16 unread).
type Blackhole struct {
	*httptest.Server
	Arrived chan struct{}
}

// NewBlackhole starts a Blackhole, closed when the test ends.
func NewBlackhole(t testing.TB) *Blackhole {
	t.Helper()
	stop := make(chan struct{})
	b := &Blackhole{Arrived: make(chan struct{}, 16)}
	b.Server = httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b.Arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop); b.Close() })
	return b
}

// ClosedURL returns the http URL of a loopback port nothing listens on.
func ClosedURL(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}
