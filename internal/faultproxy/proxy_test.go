package faultproxy_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/faultproxy"
)

// upstream is a backend that answers "ok" and counts its requests.
type upstream struct {
	srv      *httptest.Server
	requests atomic.Int64
}

func newUpstream(t *testing.T) *upstream {
	t.Helper()
	u := &upstream{}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.requests.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) addr() string { return strings.TrimPrefix(u.srv.URL, "http://") }

// client keeps connections alive, as exporters do, so that a switch must
// close them to take effect.
func client(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// post sends one request through the proxy and returns the status and body.
func post(ctx context.Context, c *http.Client, url string) (int, string, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/traces", strings.NewReader("payload"))
	if err != nil {
		return 0, "", nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header, err
}

// waitFor polls cond until it holds or 10 s pass: the proxy's state is
// observed, never timed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// TestFaults: each fault fails a request its own way without reaching the
// upstream, and healing makes the next request go through, on a client
// whose kept-alive connection was opened before the fault.
func TestFaults(t *testing.T) {
	tests := []struct {
		fault faultproxy.Fault
		check func(t *testing.T, status int, body string, h http.Header, err error)
	}{
		{fault: faultproxy.Refused, check: func(t *testing.T, _ int, _ string, _ http.Header, err error) {
			require.ErrorIs(t, err, syscall.ECONNREFUSED)
		}},
		{fault: faultproxy.Garbage, check: func(t *testing.T, _ int, _ string, _ http.Header, err error) {
			require.Error(t, err)
		}},
		{fault: faultproxy.Answer(http.StatusServiceUnavailable, "down"), check: func(t *testing.T, status int, body string, _ http.Header, err error) {
			require.NoError(t, err)
			require.Equal(t, http.StatusServiceUnavailable, status)
			require.Equal(t, "down", body)
		}},
		{fault: faultproxy.Answer(http.StatusTooManyRequests, "", "Retry-After", "2"), check: func(t *testing.T, status int, _ string, h http.Header, err error) {
			require.NoError(t, err)
			require.Equal(t, http.StatusTooManyRequests, status)
			require.Equal(t, "2", h.Get("Retry-After"))
		}},
		{fault: faultproxy.Answer(http.StatusOK, "<html>not OTLP</html>"), check: func(t *testing.T, status int, body string, _ http.Header, err error) {
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, "<html>not OTLP</html>", body)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			up := newUpstream(t)
			p := faultproxy.Start(t, up.addr())
			c := client(t)
			status, body, _, err := post(t.Context(), c, p.URL())
			require.NoError(t, err)
			require.Equal(t, "ok", body, "healthy: forwarded (status %d)", status)

			p.Set(tt.fault)
			require.Equal(t, tt.fault, p.Fault())
			// The kept-alive connection was closed by the switch: the
			// client may learn it from this request (EOF), which must not
			// reach the upstream either way.
			_, _, _, _ = post(t.Context(), c, p.URL())
			status, body, h, err := post(t.Context(), client(t), p.URL())
			tt.check(t, status, body, h, err)
			require.EqualValues(t, 1, up.requests.Load(), "nothing forwarded under %s", tt.fault)

			p.Set(faultproxy.Healthy)
			c = client(t)
			status, body, _, err = post(t.Context(), c, p.URL())
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, "ok", body)
			require.EqualValues(t, 2, up.requests.Load())
		})
	}
}

// TestHeldRequests: a blackholed or slow request is held (Waiting counts
// it) until the caller gives up or the fault changes, and is never
// forwarded late; a slow request whose delay passes is forwarded.
func TestHeldRequests(t *testing.T) {
	for _, fault := range []faultproxy.Fault{faultproxy.Blackholed, faultproxy.Slow(time.Hour)} {
		t.Run(fault.String()+", healed", func(t *testing.T) {
			up := newUpstream(t)
			p := faultproxy.Start(t, up.addr())
			p.Set(fault)
			errc := make(chan error, 1)
			go func() {
				_, _, _, err := post(t.Context(), client(t), p.URL())
				errc <- err
			}()
			waitFor(t, "the request to be held", func() bool { return p.Waiting() == 1 })
			p.Set(faultproxy.Healthy)
			require.Error(t, <-errc, "a held request fails when the fault changes")
			waitFor(t, "nothing held", func() bool { return p.Waiting() == 0 })
			_, body, _, err := post(t.Context(), client(t), p.URL())
			require.NoError(t, err)
			require.Equal(t, "ok", body)
			require.EqualValues(t, 1, up.requests.Load(), "the held request was not forwarded")
		})
		t.Run(fault.String()+", caller gives up", func(t *testing.T) {
			up := newUpstream(t)
			p := faultproxy.Start(t, up.addr())
			p.Set(fault)
			ctx, cancel := context.WithCancel(t.Context())
			errc := make(chan error, 1)
			go func() {
				_, _, _, err := post(ctx, client(t), p.URL())
				errc <- err
			}()
			waitFor(t, "the request to be held", func() bool { return p.Waiting() == 1 })
			cancel()
			require.ErrorIs(t, <-errc, context.Canceled)
			waitFor(t, "the proxy to let go", func() bool { return p.Waiting() == 0 })
			require.Zero(t, up.requests.Load())
		})
	}
	t.Run("slow, delay passes", func(t *testing.T) {
		up := newUpstream(t)
		p := faultproxy.Start(t, up.addr())
		p.Set(faultproxy.Slow(time.Millisecond))
		_, body, _, err := post(t.Context(), client(t), p.URL())
		require.NoError(t, err)
		require.Equal(t, "ok", body)
		require.EqualValues(t, 1, up.requests.Load())
	})
}

// TestSplicesAnyProtocol: healthy, the proxy forwards raw bytes both ways.
func TestSplicesAnyProtocol(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.Copy(c, c) // echo
	}()
	p := faultproxy.Start(t, ln.Addr().String())
	c, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	_, err = c.Write([]byte("\x00binary\xff"))
	require.NoError(t, err)
	got := make([]byte, 8)
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	require.Equal(t, "\x00binary\xff", string(got))
	require.NoError(t, c.Close())
	<-done
	require.Equal(t, 1, p.Accepted())
}

// TestClose: Close ends held requests and later calls do nothing.
func TestClose(t *testing.T) {
	up := newUpstream(t)
	p := faultproxy.Start(t, up.addr())
	p.Set(faultproxy.Blackholed)
	errc := make(chan error, 1)
	go func() {
		_, _, _, err := post(t.Context(), client(t), p.URL())
		errc <- err
	}()
	waitFor(t, "the request to be held", func() bool { return p.Waiting() == 1 })
	p.Close()
	require.Error(t, <-errc)
	p.Close()
	p.Set(faultproxy.Healthy) // no effect once closed
	_, _, _, err := post(t.Context(), client(t), p.URL())
	require.True(t, errors.Is(err, syscall.ECONNREFUSED), "closed: %v", err)
}
