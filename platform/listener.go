package platform

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/lumen-rt/lumen/exporters"
)

// bodyLimit bounds a delivery: the Telemetry API documents batches of up
// to twice maxBytes plus the events' metadata.
func (c *config) bodyLimit() int64 { return 2*int64(c.maxBytes) + 1<<20 }

// serveHTTP receives one delivery: it reads the batch, queues what is
// worth keeping and answers 200 at once, also for a batch it could not
// read (Lambda would only send it again) and for events the queue had no
// room for (both counted and reported).
func (p *Platform) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		w.Header().Set("Allow", "POST, PUT")
		http.Error(w, "POST a Telemetry API batch", http.StatusMethodNotAllowed)
		return
	}
	buf := bodies.Get().(*bytes.Buffer)
	defer releaseBody(buf)
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, p.cfg.bodyLimit()))
	body := buf.Bytes()
	if err != nil {
		var tooLarge *http.MaxBytesError
		if !errors.As(err, &tooLarge) {
			return // the connection failed: Lambda sends the batch again
		}
		p.stats.batches.Add(1)
		p.stats.malformed.Add(1)
		p.lost(lostEvents{platform: 1}, fmt.Errorf("platform: a Telemetry API batch of more than %d bytes was refused", tooLarge.Limit))
		http.Error(w, "batch too large", http.StatusRequestEntityTooLarge)
		return
	}
	p.stats.batches.Add(1)
	b, err := ParseBatch(body, p.cfg.logs != nil)
	p.stats.events.Add(uint64(b.Len()))
	p.stats.skipped.Add(uint64(b.Skipped))
	if err != nil {
		p.stats.malformed.Add(uint64(b.Malformed))
		p.stats.incomplete.Add(uint64(b.Incomplete))
		p.count(lostEvents{platform: b.Malformed})
		p.cfg.handleError(fmt.Errorf("platform: %w", err))
	}
	if n := b.LambdaDropped; n > 0 {
		p.stats.lambdaDropped.Add(uint64(n))
		p.lost(lostEvents{platform: n}, fmt.Errorf("platform: Lambda dropped %d Telemetry API events: the listener did not keep up", n))
	}
	for i := range b.Reports {
		p.tracker.arrived(b.Reports[i].RequestID)
	}
	if lost := p.queue.push(b); lost.total() > 0 {
		p.stats.dropped.Add(uint64(lost.total()))
		p.lost(lost, fmt.Errorf("platform: %d Telemetry API events dropped: more than %d wait for the next flush", lost.total(), p.cfg.queueSize))
	}
	w.WriteHeader(http.StatusOK)
}

// bodies are the buffers deliveries are read into: ParseBatch keeps
// nothing of them, so each is reused for the next delivery.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer kept for reuse: one invocation's
// events take a few KiB, a flood may take a MiB once.
const maxPooledBody = 256 << 10

func releaseBody(buf *bytes.Buffer) {
	if buf.Cap() > maxPooledBody {
		return
	}
	buf.Reset()
	bodies.Put(buf)
}

// lost counts events lost and reports the first loss since the last flush.
func (p *Platform) lost(l lostEvents, err error) {
	p.count(l)
	if p.dropReported.CompareAndSwap(false, true) {
		p.cfg.handleError(err)
	}
}

// count hands a loss to the drop counter, as items of the signals the
// events would have fed.
func (p *Platform) count(l lostEvents) {
	dc := p.cfg.drops
	if dc == nil {
		return
	}
	if l.platform > 0 && p.cfg.tracer != nil {
		dc.Dropped(Name, exporters.SignalTraces, l.platform)
	}
	if l.platform > 0 && p.cfg.sink != nil {
		dc.Dropped(Name, exporters.SignalMetrics, l.platform)
	}
	if l.logs > 0 {
		dc.Dropped(Name, exporters.SignalLogs, l.logs)
	}
}
