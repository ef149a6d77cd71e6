package testenv

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// FreeAddr returns a free 127.0.0.1:port. The port is released before
// returning, so the process that binds it should do so promptly.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// WaitHTTP polls url until it answers with a status below 500, the process
// exits (exited is closed), or ctx ends. Polling a server that is starting is
// how its readiness is observed; it is not a sleep standing in for an event.
func WaitHTTP(ctx context.Context, url string, exited <-chan struct{}) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errors.New("process exited before " + url + " answered")
		case <-tick.C:
		}
	}
}
