package e2e_test

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/rie"
	"github.com/lumen-rt/lumen/runtime"
)

// xrayDocument is the part of an X-Ray segment document the tests read.
type xrayDocument struct {
	Name     string `json:"name"`
	ID       string `json:"id"`
	TraceID  string `json:"trace_id"`
	ParentID string `json:"parent_id"`
	Type     string `json:"type"`
	Error    bool   `json:"error"`
	Fault    bool   `json:"fault"`
	// Subsegments are the nested documents; add lists them as documents of
	// their own, with the trace_id, parent_id and type they would carry if
	// sent alone.
	Subsegments []json.RawMessage `json:"subsegments"`
}

// xrayDaemon is a UDP socket on 127.0.0.1 standing in for the X-Ray daemon:
// it keeps every segment document it receives.
type xrayDaemon struct {
	conn    *net.UDPConn
	mu      sync.Mutex
	docs    []xrayDocument
	bad     []string
	grams   map[string]int // datagrams per trace root
	changed chan struct{}  // closed and replaced on every datagram
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

// add parses one datagram: the header line, then the document.
func (d *xrayDaemon) add(b []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	header, body, ok := strings.Cut(string(b), "\n")
	var doc xrayDocument
	if !ok || header != `{"format": "json", "version": 1}` || json.Unmarshal([]byte(body), &doc) != nil {
		d.bad = append(d.bad, string(b))
	} else {
		if d.grams == nil {
			d.grams = map[string]int{}
		}
		d.grams[doc.TraceID]++
		d.flatten(doc)
	}
	close(d.changed)
	d.changed = make(chan struct{})
}

// children are the nested subsegments of d, with d's trace and d as parent.
func (d *xrayDocument) children() []xrayDocument {
	var out []xrayDocument
	for _, raw := range d.Subsegments {
		var c xrayDocument
		if json.Unmarshal(raw, &c) != nil {
			continue
		}
		c.TraceID, c.ParentID, c.Type = d.TraceID, d.ID, "subsegment"
		out = append(out, c)
	}
	return out
}

// flatten keeps doc and, as documents of their own, its nested subsegments.
func (d *xrayDaemon) flatten(doc xrayDocument) {
	for _, c := range doc.children() {
		d.flatten(c)
	}
	doc.Subsegments = nil
	d.docs = append(d.docs, doc)
}

// datagrams returns how many datagrams of the trace root arrived.
func (d *xrayDaemon) datagrams(root string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.grams[root]
}

func (d *xrayDaemon) addr() string { return d.conn.LocalAddr().String() }

// wait waits until at least n documents of the X-Ray trace root arrived.
func (d *xrayDaemon) wait(t *testing.T, root string, n int) []xrayDocument {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), telemetryWait)
	defer cancel()
	for {
		d.mu.Lock()
		var got []xrayDocument
		for _, doc := range d.docs {
			if doc.TraceID == root {
				got = append(got, doc)
			}
		}
		require.Empty(t, d.bad, "datagrams that are not segment documents")
		changed := d.changed
		d.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("%d of %d X-Ray documents of %s arrived: %+v", len(got), n, root, got)
		}
	}
}

// TestTracingXRayDaemon: with OTEL_TRACES_EXPORTER unset and
// AWS_XRAY_DAEMON_ADDRESS set, as Lambda's active tracing leaves them, the
// runtime sends the invocation to the daemon as one subsegment of the
// function segment the trace header names, its phases and the handler's
// span nested in it.
func TestTracingXRayDaemon(t *testing.T) {
	bin := testfunc(t)
	daemon := startXRayDaemon(t)
	em := rie.StartManaged(t, bin, rie.WithMaxConcurrency(1), rie.WithFunctionName(tracedFunction), rie.WithEnv(
		"OTEL_TRACES_EXPORTER=", "OTEL_EXPORTER_OTLP_ENDPOINT=", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=", "OTEL_TRACES_SAMPLER=",
		"AWS_XRAY_DAEMON_ADDRESS="+daemon.addr(), noBatchTimer))

	tests := []struct {
		name      string
		ev        event
		wantError bool
	}{
		{name: "handler span", ev: event{Op: "span", Message: "checkout"}},
		{name: "function error", ev: event{Op: "error", Message: "card declined"}, wantError: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seg := newSegment(200 + i)
			resp := invoke(t, em, tt.ev, seg.header("1"))
			want := 5
			var hs *handlerSpan
			if tt.wantError {
				want = 4
				require.Equal(t, "ValidationError", errorDocument(t, resp).Type)
			} else {
				hs = decodeHandlerSpan(t, resp)
			}
			docs := daemon.wait(t, seg.root, want)
			require.Len(t, docs, want)
			require.Equal(t, 1, daemon.datagrams(seg.root), "one datagram per invocation")
			byName := map[string]xrayDocument{}
			for _, doc := range docs {
				require.Equal(t, "subsegment", doc.Type, "%+v: every span has a parent", doc)
				byName[doc.Name] = doc
			}
			inv, ok := byName[tracedFunction]
			require.True(t, ok, "no invocation subsegment among %+v", docs)
			require.Equal(t, seg.parent, inv.ParentID, "the invocation is a subsegment of the header's Parent")
			require.Equal(t, tt.wantError, inv.Fault, "a failed invocation is a fault of its subsegment")
			require.False(t, inv.Error, "error is for a client's 4xx")
			for _, phase := range []string{runtime.SpanReceive, runtime.SpanHandle, runtime.SpanPost} {
				require.Equal(t, inv.ID, byName[phase].ParentID, "%s is a subsegment of the invocation", phase)
			}
			if hs != nil {
				require.Equal(t, hs.SpanID, byName[runtime.SpanHandle].ID)
				require.Equal(t, hs.ChildSpanID, byName["checkout"].ID)
				require.Equal(t, hs.SpanID, byName["checkout"].ParentID, "the handler's span is a subsegment of lumen.handle")
			}
		})
	}
}
