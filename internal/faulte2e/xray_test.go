package faulte2e_test

import (
	"bytes"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/faultproxy"
	"github.com/lumen-rt/lumen/internal/testenv"
)

// xrayDaemon stands in for the X-Ray daemon: a UDP socket on 127.0.0.1 that
// keeps the seq of every handler span it receives. Set(faultproxy.Refused)
// closes it (the daemon is gone: its port is closed); any other fault opens
// it again on the same port.
type xrayDaemon struct {
	t    *testing.T
	addr *net.UDPAddr

	mu   sync.Mutex
	conn *net.UDPConn
	done chan struct{}
	seqs map[int64]int
	bad  int
}

func startXRayDaemon(t *testing.T) *xrayDaemon {
	t.Helper()
	d := &xrayDaemon{t: t, seqs: map[int64]int{}}
	// A port below the ephemeral range: no other socket takes it while
	// the daemon is gone.
	var conn *net.UDPConn
	for attempt := 1; conn == nil; attempt++ {
		addr, err := net.ResolveUDPAddr("udp", testenv.FreeAddr(t))
		require.NoError(t, err)
		if conn, err = net.ListenUDP("udp", addr); err != nil && attempt == 3 {
			require.NoError(t, err)
		}
	}
	require.NoError(t, conn.SetReadBuffer(4<<20))
	d.addr = conn.LocalAddr().(*net.UDPAddr)
	d.serve(conn)
	t.Cleanup(func() { d.Set(faultproxy.Refused) })
	return d
}

// seqRE finds the handler span's faulte2e.seq in a segment document (it
// is metadata: X-Ray annotation keys have no dots).
var seqRE = regexp.MustCompile(`"faulte2e\.seq":(\d+)`)

func (d *xrayDaemon) serve(conn *net.UDPConn) {
	done := make(chan struct{})
	d.mu.Lock()
	d.conn, d.done = conn, done
	d.mu.Unlock()
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			n, _, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			d.mu.Lock()
			ms := seqRE.FindAllSubmatch(buf[:n], -1)
			if len(ms) == 0 && !bytes.Contains(buf[:n], []byte(`"trace_id"`)) {
				d.bad++
			}
			for _, m := range ms {
				v, _ := strconv.ParseInt(string(m[1]), 10, 64)
				d.seqs[v]++
			}
			d.mu.Unlock()
		}
	}()
}

// Set closes the socket for faultproxy.Refused and opens it again for
// anything else.
func (d *xrayDaemon) Set(f faultproxy.Fault) {
	d.mu.Lock()
	conn, done := d.conn, d.done
	d.mu.Unlock()
	if f.Kind() == faultproxy.KindRefused {
		if conn != nil {
			conn.Close()
			<-done
			d.mu.Lock()
			d.conn = nil
			d.mu.Unlock()
		}
		return
	}
	if conn == nil {
		c, err := net.ListenUDP("udp", d.addr)
		require.NoError(d.t, err, "the daemon's port is taken")
		require.NoError(d.t, c.SetReadBuffer(4<<20))
		d.serve(c)
	}
}

// received returns a copy of the seqs received.
func (d *xrayDaemon) received() map[int64]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[int64]int, len(d.seqs))
	for k, v := range d.seqs {
		out[k] = v
	}
	return out
}

// TestXRayDaemonGone: with spans going to the X-Ray daemon over UDP and
// the daemon gone (its port closed, so the kernel refuses the datagrams),
// every answer is right and the loop does not wait for the exporter after
// its first failure; the spans the exporter could not send are counted
// (UDP keeps no buffer, and the kernel reports a refusal on the send after
// the one it concerns: each failed export may lose one datagram
// uncounted, no more); once the daemon is back, spans flow again, beside
// the EMF metrics and the log lines on stdout, which never stopped.
func TestXRayDaemonGone(t *testing.T) {
	testfunc(t)
	d := startXRayDaemon(t)
	f := startFunction(t, "AWS_XRAY_DAEMON_ADDRESS="+d.addr.String(), "OTEL_TRACES_EXPORTER=xray", "OTEL_METRICS_EXPORTER=emf")
	c := &cell{exporter: "xray (UDP)", fault: faultRefused, label: "daemon gone", f: f, path: d,
		flowing: func(from int) bool { return hasFrom(d.received(), from) },
		retried: func(m map[string]float64) bool { return failedFlushes(m, "traces") >= 2 }}
	c.run(t)

	// Each invocation is one datagram of its five spans (the first also
	// carries lumen.init). An export loses at most one datagram uncounted:
	// the one whose refusal the kernel reports on the next write. An export
	// of that one datagram alone sees no error at all: the flusher passes
	// for healed, and its next flush fails and is reported again. So the
	// exports while the daemon was gone number the failed flushes plus the
	// reports at most. The datagrams of the last exports may still be on
	// their way (the exporter sends them one by one, the daemon reads them
	// on its own goroutine) when the heal is seen: wait for them.
	out := f.em.Output()
	uncounted := func(m map[string]float64) (lost, counted, bound int) {
		lost = f.next - len(d.received())
		counted = int(sum(m, "faas_telemetry_dropped_items_total", `exporter="xray"`)) / spansPerInvocation
		return lost, counted, int(failedFlushes(m, "traces")) + reports(f.em.Output())["traces"]
	}
	var lost, counted, bound int
	m := f.waitMetrics("every datagram received or counted but one per failed export", func(m map[string]float64) bool {
		lost, counted, bound = uncounted(m)
		return lost-counted <= bound
	}, func() string {
		return fmt.Sprintf("%d invocations' datagrams neither received nor counted, at most %d may be", lost-counted, bound)
	})
	got := d.received()
	t.Logf("%d invocations, %d during the fault, %d handler spans received; reports %v; counts:\n%s",
		f.next, c.faulty, len(got), reports(out), dump(m, "faas_telemetry"))
	require.Zero(t, d.bad, "datagrams that are not segment documents")
	require.Positive(t, sum(m, "faas_telemetry_dropped_items_total", `exporter="xray"`), "refused datagrams are counted")
	requireBackedOff(t, m, out, "traces")
	require.LessOrEqual(t, reports(out)["traces"], 1+int(failedFlushes(m, "traces"))/2, "not reported at every flush")
	for seq := range got {
		require.Equal(t, 1, got[seq], "seq %d received once", seq)
	}
	lost, counted, bound = uncounted(m)
	require.LessOrEqual(t, lost-counted, bound, "at most one datagram per export goes uncounted")
}
