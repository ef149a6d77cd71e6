package runtime

import (
	"sync/atomic"
	"time"
)

// Bounds of the flush point's reports.
const (
	// reportQueue is how many reports may wait for the error handler;
	// more are dropped (the failures they describe are counted in the
	// flush metrics all the same).
	reportQueue = 64
	// reportDrain bounds how long Run waits, as it returns, for the error
	// handler to take the reports still queued, outside a shutdown (whose
	// own budget bounds it then).
	reportDrain = 100 * time.Millisecond
)

// flushReports hands the flush point's reports to the error handler on a
// goroutine of its own. The handler usually logs to stdout, and the loop
// must not wait for a stdout nobody reads (a stalled log pipeline): a
// flush point that finds a flusher failing reports it and moves on at
// once, whatever the handler does.
type flushReports struct {
	handle  func(error)
	queue   chan error
	stop    chan struct{}
	done    chan struct{}
	dropped atomic.Uint64
}

func newFlushReports(handle func(error)) *flushReports {
	r := &flushReports{
		handle: handle,
		queue:  make(chan error, reportQueue),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go r.run()
	return r
}

// report queues err for the handler, or drops it when the queue is full.
func (r *flushReports) report(err error) {
	select {
	case r.queue <- err:
	default:
		r.dropped.Add(1)
	}
}

func (r *flushReports) run() {
	defer close(r.done)
	for {
		select {
		case err := <-r.queue:
			r.handle(err)
		case <-r.stop:
			for {
				select {
				case err := <-r.queue:
					r.handle(err)
				default:
					return
				}
			}
		}
	}
}

// close stops the goroutine once the handler took every queued report,
// waiting for that until end at most: a handler still blocked then is left
// to finish on its own.
func (r *flushReports) close(end time.Time) {
	close(r.stop)
	timer := time.NewTimer(time.Until(end))
	defer timer.Stop()
	select {
	case <-r.done:
	case <-timer.C:
	}
}
