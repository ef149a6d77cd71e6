package examplestest

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

// telemetryWait bounds each wait for telemetry that should arrive: a guard
// against hanging, not a measure of speed.
const telemetryWait = 30 * time.Second

// segment is the part of an X-Ray segment document the tests read.
type segment struct {
	Name      string `json:"name"`
	ID        string `json:"id"`
	TraceID   string `json:"trace_id"`
	ParentID  string `json:"parent_id"`
	Namespace string `json:"namespace"`
	Error     bool   `json:"error"`
	Fault     bool   `json:"fault"`
	// Subsegments are the nested documents: the X-Ray exporter sends an
	// invocation's spans as one document, its descendants nested. The
	// daemon lists them as documents of their own, with the trace and
	// parent they inherit.
	Subsegments []json.RawMessage `json:"subsegments"`
}

// flatten returns doc and its nested subsegments, depth first, each with
// its trace id and parent id.
func (doc segment) flatten() []segment {
	var out []segment
	for _, raw := range doc.Subsegments {
		var c segment
		if json.Unmarshal(raw, &c) != nil {
			continue
		}
		c.TraceID, c.ParentID = doc.TraceID, doc.ID
		out = append(out, c.flatten()...)
	}
	doc.Subsegments = nil
	return append(out, doc)
}

// xrayDaemon is a UDP socket on 127.0.0.1 standing in for the X-Ray daemon
// that Lambda runs with active tracing: it keeps every segment document,
// nested subsegments as documents of their own.
type xrayDaemon struct {
	conn    *net.UDPConn
	mu      sync.Mutex
	docs    []segment
	bad     []string
	changed chan struct{} // closed and replaced on every datagram
}

func startXRayDaemon(t *testing.T) *xrayDaemon {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	d := &xrayDaemon{conn: conn, changed: make(chan struct{})}
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

// add parses one datagram: the daemon's header line, then the document.
func (d *xrayDaemon) add(b []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	header, body, ok := strings.Cut(string(b), "\n")
	var doc segment
	if !ok || header != `{"format": "json", "version": 1}` || json.Unmarshal([]byte(body), &doc) != nil {
		d.bad = append(d.bad, string(b))
	} else {
		d.docs = append(d.docs, doc.flatten()...)
	}
	close(d.changed)
	d.changed = make(chan struct{})
}

// addr is the daemon's address, as AWS_XRAY_DAEMON_ADDRESS takes it.
func (d *xrayDaemon) addr() string { return d.conn.LocalAddr().String() }

// waitFor waits until a document satisfies match and returns all the
// documents of its trace that arrived so far.
func (d *xrayDaemon) waitFor(t *testing.T, what string, match func(segment) bool) (segment, []segment) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	for {
		d.mu.Lock()
		require.Empty(t, d.bad, "datagrams that are not segment documents")
		docs := append([]segment(nil), d.docs...)
		changed := d.changed
		d.mu.Unlock()
		for _, doc := range docs {
			if match(doc) {
				var trace []segment
				for _, o := range docs {
					if o.TraceID == doc.TraceID {
						trace = append(trace, o)
					}
				}
				return doc, trace
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("no X-Ray document %s among the %d that arrived: %+v", what, len(docs), docs)
		}
	}
}

// named returns the only document called name.
func named(t *testing.T, docs []segment, name string) segment {
	t.Helper()
	var found []segment
	for _, d := range docs {
		if d.Name == name {
			found = append(found, d)
		}
	}
	require.Len(t, found, 1, "documents named %q among %+v", name, docs)
	return found[0]
}
