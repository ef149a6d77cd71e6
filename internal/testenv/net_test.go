package testenv

import (
	"net"
	"strconv"
	"testing"
)

// TestFreeAddr: the addresses are bindable, distinct, and below the
// kernel's ephemeral range when it is known.
func TestFreeAddr(t *testing.T) {
	low, known := ephemeralStart()
	seen := map[string]bool{}
	for range 50 {
		addr := FreeAddr(t)
		if seen[addr] {
			t.Fatalf("%s handed out twice", addr)
		}
		seen[addr] = true
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := strconv.Atoi(port)
		if known && low-lowestPort >= 1000 && (p < lowestPort || p >= low) {
			t.Fatalf("port %d outside [%d, %d)", p, lowestPort, low)
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("%s is not free: %v", addr, err)
		}
		l.Close()
	}
}
