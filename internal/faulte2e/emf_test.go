package faulte2e_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/internal/faultproxy"
)

// stdoutPipe is a FIFO the function's standard output is moved onto
// (FAULTE2E_STDOUT). The test reads it until Set(faultproxy.Blackholed):
// then it stops reading and fills the pipe, so that the function's next
// write to stdout blocks, as it would with a log pipeline that stopped
// reading; Set(faultproxy.Healthy) reads again, from where it stopped.
type stdoutPipe struct {
	t    *testing.T
	path string
	r, w *os.File

	mu      sync.Mutex
	out     bytes.Buffer
	done    chan struct{} // closed when the reader stops; nil when not reading
	fillers int
	// line, when set, gets every whole line read instead of out, which
	// then holds only a partial line.
	line func([]byte)
}

// filler is what the test writes to fill the pipe: 16 bytes, so that each
// write is atomic and the pipe holds whole lines.
const filler = "faulte2e filler\n"

// newStdoutPipe makes the FIFO and reads it; line, when not nil, gets the
// lines read instead of keeping them.
func newStdoutPipe(t *testing.T, line func([]byte)) *stdoutPipe {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stdout")
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err)
	w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err)
	p := &stdoutPipe{t: t, path: path, r: r, w: w, line: line}
	p.read()
	t.Cleanup(func() {
		p.stopReading()
		r.Close()
		w.Close()
	})
	return p
}

// read starts reading into p.out.
func (p *stdoutPipe) read() {
	done := make(chan struct{})
	p.mu.Lock()
	p.done = done
	p.mu.Unlock()
	require.NoError(p.t, p.r.SetReadDeadline(time.Time{}))
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			n, err := p.r.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			if p.line != nil {
				p.lines()
			}
			p.mu.Unlock()
			if err != nil {
				// The deadline stopReading sets; EOF cannot happen while the
				// test's own write end is open.
				return
			}
		}
	}()
}

// lines hands the whole lines of out to line; the caller holds mu.
func (p *stdoutPipe) lines() {
	for {
		b := p.out.Bytes()
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return
		}
		p.line(b[:i])
		p.out.Next(i + 1)
	}
}

// stopReading stops the reader and waits for it.
func (p *stdoutPipe) stopReading() {
	p.mu.Lock()
	done := p.done
	p.done = nil
	p.mu.Unlock()
	if done == nil {
		return
	}
	_ = p.r.SetReadDeadline(time.Unix(1, 0))
	<-done
}

// Set blocks the pipe for faultproxy.Blackholed and reads it again for
// anything else.
func (p *stdoutPipe) Set(f faultproxy.Fault) {
	if f.Kind() != faultproxy.KindBlackholed {
		p.mu.Lock()
		reading := p.done != nil
		p.mu.Unlock()
		if !reading {
			p.read()
		}
		return
	}
	p.stopReading()
	raw, err := p.w.SyscallConn()
	require.NoError(p.t, err)
	var werr error
	require.NoError(p.t, raw.Write(func(fd uintptr) bool {
		for {
			_, werr = syscall.Write(int(fd), []byte(filler))
			if werr != nil {
				return true
			}
			p.fillers++
		}
	}))
	require.ErrorIs(p.t, werr, syscall.EAGAIN, "filling the pipe")
}

// emfInvocations adds up faas_invocations_total over the EMF documents read
// so far: each document carries the increase since the previous one.
func (p *stdoutPipe) emfInvocations() (float64, int) {
	p.mu.Lock()
	out := p.out.String()
	p.mu.Unlock()
	var total float64
	docs := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(`{"_aws"`)) {
			continue
		}
		docs++
		var doc map[string]any
		if json.Unmarshal(line, &doc) != nil {
			continue
		}
		if v, ok := doc["faas_invocations_total"].(float64); ok {
			total += v
		}
	}
	return total, docs
}

// output returns what was read so far.
func (p *stdoutPipe) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// TestEMFBlockedStdout: with metrics written as EMF to a standard output
// nobody reads (a FIFO the test stops draining and fills), every answer is
// right and the loop waits for the EMF flush once only; once stdout is read
// again, the documents flow again and add up to every invocation exactly:
// a write that could not finish is written again, nothing is lost and
// nothing counted twice. The function logs at WARN, so that only the
// runtime writes to stdout (its handler's own log lines would block on the
// pipe, as any process's would).
func TestEMFBlockedStdout(t *testing.T) {
	testfunc(t)
	pipe := newStdoutPipe(t, nil)
	f := startFunction(t, "FAULTE2E_STDOUT="+pipe.path, "OTEL_METRICS_EXPORTER=emf", "AWS_LAMBDA_LOG_LEVEL=WARN")
	c := &cell{exporter: "emf (stdout)", fault: faultproxy.Blackholed, label: "stdout nobody reads", f: f, path: pipe,
		flowing: func(from int) bool { v, _ := pipe.emfInvocations(); return v > float64(from) },
		retried: func(m map[string]float64) bool { return failedFlushes(m, "emf") >= 2 }}
	c.run(t)

	n := f.next
	require.True(t, poll(t.Context(), func() bool { v, _ := pipe.emfInvocations(); return v >= float64(n) }),
		"the documents add up to every invocation")
	total, docs := pipe.emfInvocations()
	require.Equal(t, float64(n), total, "nothing counted twice")
	m := f.waitMetrics("the counts", func(map[string]float64) bool { return true })
	out := pipe.output()
	t.Logf("%d invocations, %d during the fault, %d documents; reports %v; counts:\n%s", n, c.faulty, docs, reports(out), dump(m, "faas_telemetry"))
	require.Equal(t, map[string]int{"emf": 1}, reports(out), "reported once:\n%s", out)
	requireBackedOff(t, m, out, "emf")
	require.Zero(t, sum(m, "faas_telemetry_dropped_items_total"), "nothing dropped")
}
