package workload

import (
	"fmt"
	"net"
	"sync"
)

// refusingURL returns the URL of a loopback port nothing listens on: every
// connection is refused.
func refusingURL() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("workload: %w", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return "", fmt.Errorf("workload: %w", err)
	}
	return "http://" + addr, nil
}

// hungServer accepts connections and never answers, like a backend that
// hangs: every flush to it overruns its budget.
type hungServer struct {
	url   string
	l     net.Listener
	mu    sync.Mutex
	conns []net.Conn
	done  chan struct{}
}

func startHung() (*hungServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("workload: %w", err)
	}
	h := &hungServer{url: "http://" + l.Addr().String(), l: l, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			h.mu.Lock()
			h.conns = append(h.conns, c)
			h.mu.Unlock()
		}
	}()
	return h, nil
}

// close stops accepting, closes the held connections and waits for the
// accept loop.
func (h *hungServer) close() {
	_ = h.l.Close()
	<-h.done
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		_ = c.Close()
	}
	h.conns = nil
}
