package xray

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeDaemon stands in for the X-Ray daemon: a UDP listener on 127.0.0.1
// that hands every datagram it receives to the test.
type fakeDaemon struct {
	conn *net.UDPConn
	got  chan []byte
}

func startDaemon(t testing.TB) *fakeDaemon {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	d := &fakeDaemon{conn: conn, got: make(chan []byte, 1024)}
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 70000)
		for {
			n, _, err := conn.ReadFromUDP(buf)
			if err != nil {
				close(d.got)
				return
			}
			d.got <- bytes.Clone(buf[:n])
		}
	})
	t.Cleanup(func() {
		_ = conn.Close()
		wg.Wait()
	})
	return d
}

func (d *fakeDaemon) Addr() string { return d.conn.LocalAddr().String() }

// next returns the next document, checking the datagram's header line.
func (d *fakeDaemon) next(t testing.TB, ctx context.Context) map[string]any {
	t.Helper()
	select {
	case b, ok := <-d.got:
		require.True(t, ok, "daemon closed")
		require.True(t, bytes.HasPrefix(b, []byte(Header)), "datagram %q lacks the header", b)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(b[len(Header):], &doc), "document %s", b[len(Header):])
		return doc
	case <-ctx.Done():
		t.Fatalf("no datagram: %v", ctx.Err())
		return nil
	}
}

// nextN returns n documents keyed by name.
func (d *fakeDaemon) nextN(t testing.TB, ctx context.Context, n int) map[string]map[string]any {
	t.Helper()
	docs := map[string]map[string]any{}
	for range n {
		doc := d.next(t, ctx)
		docs[doc["name"].(string)] = doc
	}
	return docs
}

// none asserts that nothing more arrives: a marker datagram sent after the
// exports under test must be the next thing the daemon sees.
func (d *fakeDaemon) none(t testing.TB, ctx context.Context) {
	t.Helper()
	c, err := net.Dial("udp", d.Addr())
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("marker"))
	require.NoError(t, err)
	select {
	case b := <-d.got:
		require.Equal(t, "marker", string(b), "unexpected datagram")
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
}

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) Dropped(exporter, signal string, items int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[exporter+"/"+signal] += items
}

func (c *counter) get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}

func TestAddressErrorIs(t *testing.T) {
	_, err := ParseDaemonAddress("nonsense")
	var ae *AddressError
	require.ErrorAs(t, err, &ae)
	require.ErrorIs(t, err, ErrInvalidAddress)
	require.False(t, errors.Is(err, ErrShutdown))
}
