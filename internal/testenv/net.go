package testenv

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FreeAddr returns a free 127.0.0.1:port for a server the test starts. The
// port is released before returning, so the process that binds it should
// do so promptly.
//
// The port is drawn at random below the kernel's ephemeral range
// (/proc/sys/net/ipv4/ip_local_port_range): a port from that range, as
// listening on port 0 gives, can be handed to an outgoing connection or to
// another test's listener between this call and the server's bind, and the
// server then fails to start, or another server answers in its place. Below
// the range only another FreeAddr can pick it, and none in this process
// picks a port twice.
func FreeAddr(t testing.TB) string {
	t.Helper()
	if addr, ok := freeAddrBelowEphemeral(); ok {
		return addr
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// lowestPort is the lowest port FreeAddr draws: above the well-known and
// most registered services' ports.
const lowestPort = 10000

var (
	portsMu    sync.Mutex
	portsGiven = map[int]bool{}
)

// freeAddrBelowEphemeral draws a free port in [lowestPort, the start of the
// ephemeral range), when the range is known and leaves room.
func freeAddrBelowEphemeral() (string, bool) {
	low, ok := ephemeralStart()
	if !ok || low-lowestPort < 1000 {
		return "", false
	}
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 200 {
		port := lowestPort + rand.IntN(low-lowestPort)
		if portsGiven[port] {
			continue
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		l, err := net.Listen("tcp", addr)
		if err != nil {
			continue
		}
		_ = l.Close()
		portsGiven[port] = true
		return addr, true
	}
	return "", false
}

// ephemeralStart reads the first port of the kernel's ephemeral range.
func ephemeralStart() (int, bool) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 {
		return 0, false
	}
	low, err := strconv.Atoi(fields[0])
	return low, err == nil
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
