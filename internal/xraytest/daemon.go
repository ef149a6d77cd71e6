// Package xraytest is a stand-in X-Ray daemon for tests: a UDP socket on
// 127.0.0.1, as AWS_XRAY_DAEMON_ADDRESS names Lambda's, that keeps every
// segment document it receives.
package xraytest

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// header is the line the daemon protocol puts before each document.
const header = `{"format": "json", "version": 1}`

// Segment is the part of an X-Ray segment document the tests read. The
// daemon lists nested subsegments as Segments of their own, with the trace
// id and parent id they inherit and Type "subsegment", as they would carry
// if sent alone.
type Segment struct {
	Name      string `json:"name"`
	ID        string `json:"id"`
	TraceID   string `json:"trace_id"`
	ParentID  string `json:"parent_id"`
	Type      string `json:"type"`
	Namespace string `json:"namespace"`
	Error     bool   `json:"error"`
	Fault     bool   `json:"fault"`
	// Subsegments are the nested documents, as received; empty in the
	// Segments the daemon lists.
	Subsegments []json.RawMessage `json:"subsegments"`
}

// flatten returns doc and its nested subsegments, depth first, each with
// its trace id and parent id.
func (doc Segment) flatten() []Segment {
	var out []Segment
	for _, raw := range doc.Subsegments {
		var c Segment
		if json.Unmarshal(raw, &c) != nil {
			continue
		}
		c.TraceID, c.ParentID, c.Type = doc.TraceID, doc.ID, "subsegment"
		out = append(out, c.flatten()...)
	}
	doc.Subsegments = nil
	return append(out, doc)
}

// Daemon receives segment documents until its test ends.
type Daemon struct {
	conn    *net.UDPConn
	mu      sync.Mutex
	docs    []Segment
	bad     []string
	grams   map[string]int // datagrams per trace id
	changed chan struct{}  // closed and replaced on every datagram
}

// Start listens on a free UDP port of 127.0.0.1 until t ends.
func Start(t testing.TB) *Daemon {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	d := &Daemon{conn: conn, grams: map[string]int{}, changed: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			n, _, err := conn.ReadFromUDP(buf)
			if err != nil {
				return // closed
			}
			d.add(buf[:n])
		}
	}()
	t.Cleanup(func() {
		conn.Close()
		<-done
	})
	return d
}

// add parses one datagram: the header line, then the document.
func (d *Daemon) add(b []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	head, body, ok := strings.Cut(string(b), "\n")
	var doc Segment
	if !ok || head != header || json.Unmarshal([]byte(body), &doc) != nil {
		d.bad = append(d.bad, string(b))
	} else {
		d.grams[doc.TraceID]++
		d.docs = append(d.docs, doc.flatten()...)
	}
	close(d.changed)
	d.changed = make(chan struct{})
}

// Addr is the daemon's address, as AWS_XRAY_DAEMON_ADDRESS takes it.
func (d *Daemon) Addr() string { return d.conn.LocalAddr().String() }

// Datagrams returns how many datagrams of the trace arrived.
func (d *Daemon) Datagrams(traceID string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.grams[traceID]
}

// Await waits, at most timeout, until the documents that arrived satisfy
// done, and returns them. It fails t on a datagram that is not a segment
// document, or when the time is up, saying what it waited for.
func (d *Daemon) Await(t testing.TB, timeout time.Duration, what string, done func([]Segment) bool) []Segment {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		d.mu.Lock()
		bad, docs, changed := d.bad, append([]Segment(nil), d.docs...), d.changed
		d.mu.Unlock()
		require.Empty(t, bad, "datagrams that are not segment documents")
		if done(docs) {
			return docs
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("waited %v for X-Ray documents: %s; %d arrived: %+v", timeout, what, len(docs), docs)
		}
	}
}

// OfTrace returns the documents of the trace.
func OfTrace(docs []Segment, traceID string) []Segment {
	var out []Segment
	for _, doc := range docs {
		if doc.TraceID == traceID {
			out = append(out, doc)
		}
	}
	return out
}
