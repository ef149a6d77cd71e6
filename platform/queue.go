package platform

import (
	"sync"
	"sync/atomic"
)

// queue holds the batches that arrived since the last flush, at most size
// events in all.
type queue struct {
	mu      sync.Mutex
	batches []Batch
	n       int
	size    int
	// filled is set while batches is not empty, so that an idle flush
	// takes no lock; half while it holds half of size or more.
	filled, half atomic.Bool
}

// push adds b, or as much of it as there is room for, and returns what did
// not fit, by kind.
func (q *queue) push(b Batch) (lost lostEvents) {
	q.mu.Lock()
	defer q.mu.Unlock()
	lost = b.truncate(q.size - q.n)
	if b.Len() > 0 {
		q.batches = append(q.batches, b)
		q.n += b.Len()
		q.filled.Store(true)
		q.half.Store(2*q.n >= q.size)
	}
	return lost
}

// take returns every batch queued, oldest first, and empties the queue.
func (q *queue) take() []Batch {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.batches
	q.batches, q.n = nil, 0
	q.filled.Store(false)
	q.half.Store(false)
	return out
}

// putBack returns batches a flush had no time for to the front of the
// queue, where they were. The queue may hold more than size then; what
// arrived meanwhile was checked against the room left.
func (q *queue) putBack(batches []Batch) {
	if len(batches) == 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, b := range batches {
		q.n += b.Len()
	}
	q.batches = append(batches[:len(batches):len(batches)], q.batches...)
	q.filled.Store(true)
	q.half.Store(2*q.n >= q.size)
}

// lostEvents counts events lost, by the signals they would have fed.
type lostEvents struct {
	platform int // reports, runtimeDones, init and restore reports
	logs     int
}

func (l lostEvents) total() int { return l.platform + l.logs }

// truncate keeps at most room events of b, reports first (they carry the
// invocation's numbers), then init and restore reports, runtimeDones and
// log lines, and returns what it dropped.
func (b *Batch) truncate(room int) (lost lostEvents) {
	room = max(room, 0)
	keep := func(n int) int {
		k := min(n, room)
		room -= k
		return k
	}
	cut := func(n int) int {
		k := keep(n)
		lost.platform += n - k
		return k
	}
	b.Reports = b.Reports[:cut(len(b.Reports))]
	b.InitReports = b.InitReports[:cut(len(b.InitReports))]
	b.RestoreReports = b.RestoreReports[:cut(len(b.RestoreReports))]
	b.RuntimeDones = b.RuntimeDones[:cut(len(b.RuntimeDones))]
	k := keep(len(b.Logs))
	lost.logs = len(b.Logs) - k
	b.Logs = b.Logs[:k]
	return lost
}
