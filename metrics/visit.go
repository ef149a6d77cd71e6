package metrics

import (
	"sync"

	"github.com/lumen-rt/lumen/exporters"
)

// Visit calls visit once for every series of the Recorder, reading Lumen's
// instruments directly (no gather, no allocation once the series exist),
// then the series of the other collectors on its registry (the Go runtime
// and process collectors, and the application's own metrics registered
// through [Recorder.Registerer]): those are gathered at most once per
// [WithRuntimeCollectorsMaxAge] and repeated in between, and not gathered
// at all when there are none. Series come in a fixed order: Lumen's, by
// metric then by creation, then the gathered ones.
//
// Each counter and histogram is read atomically, but the series are read
// one after the other while invocations may be recorded. The Series is
// valid only during the call; visit must not call Visit.
func (r *Recorder) Visit(visit func(*Series)) { r.visit(visit, false) }

// VisitFresh is [Recorder.Visit] with the other collectors gathered now,
// whatever their age: for a final flush, so that what the application
// recorded just before leaves the process.
func (r *Recorder) VisitFresh(visit func(*Series)) { r.visit(visit, true) }

func (r *Recorder) visit(visit func(*Series), fresh bool) {
	if r == nil {
		return
	}
	sc := r.scratch.get()
	defer r.scratch.put(sc)
	for _, f := range r.families {
		f.visit(sc, visit)
	}
	if !r.registerer.empty() {
		r.gathered.visitInto(sc, visit, fresh)
	}
}

// visit hands visit every series of f.
func (f *family) visit(sc *scratch, visit func(*Series)) {
	out := &sc.series
	for _, s := range *f.all.Load() {
		*out = Series{
			ID: s.id, Name: f.name, OTelName: f.otelName, Unit: f.unit, Help: f.help, Kind: f.kind,
			Labels: s.labels, Start: s.start,
		}
		switch f.kind {
		case KindCounter:
			out.Value = s.c.value()
		case KindGauge:
			out.Value = s.g.value()
		case KindHistogram:
			if n := len(f.bounds) + 1; cap(sc.counts) < n {
				sc.counts = make([]uint64, n)
			}
			counts := sc.counts[:len(f.bounds)+1]
			out.Count, out.Sum = s.h.read(counts)
			out.Bounds, out.Counts = f.bounds, counts
		}
		visit(out)
	}
}

// scratch is what one Visit call reuses: the Series handed to the visitor
// and the buffer of its bucket counts.
type scratch struct {
	series Series
	counts []uint64
}

// scratchPool keeps the scratch of finished Visit calls, so that calls
// after the first allocate nothing, concurrent ones included.
type scratchPool struct {
	mu   sync.Mutex
	free []*scratch
}

func (p *scratchPool) get() *scratch {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		sc := p.free[n-1]
		p.free = p.free[:n-1]
		return sc
	}
	return &scratch{}
}

func (p *scratchPool) put(sc *scratch) {
	sc.series = Series{} // drop references to the last series
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, sc)
}

// Both read metrics as Series for the exporters that encode them
// themselves.
var (
	_ exporters.SeriesSource = (*Recorder)(nil)
	_ exporters.SeriesSource = (*GatherVisitor)(nil)
)
