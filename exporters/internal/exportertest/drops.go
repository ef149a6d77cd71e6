package exportertest

import (
	"maps"
	"sync"

	"github.com/lumen-rt/lumen/exporters"
)

// Drops is an [exporters.DropCounter] that records what it is told. It is
// safe for concurrent use; the zero value is ready.
type Drops struct {
	mu    sync.Mutex
	items map[string]int
	calls int
}

var _ exporters.DropCounter = (*Drops)(nil)

// Dropped implements [exporters.DropCounter].
func (d *Drops) Dropped(exporter, signal string, items int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.items == nil {
		d.items = map[string]int{}
	}
	d.items[exporter+"/"+signal] += items
	d.calls++
}

// Get returns the items dropped per "exporter/signal" (nil before the
// first drop) and the number of Dropped calls.
func (d *Drops) Get() (map[string]int, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.items), d.calls
}

// Count returns the items dropped by exporter for signal.
func (d *Drops) Count(exporter, signal string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.items[exporter+"/"+signal]
}
