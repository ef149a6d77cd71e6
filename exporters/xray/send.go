package xray

import (
	"context"
	"errors"
	"fmt"
	"syscall"
)

// sendResult accumulates the losses of one export.
type sendResult struct {
	dropped int
	errs    []error
	// refused is set once the kernel refused a datagram: the daemon is
	// gone (its port is closed). The export sends nothing more: every
	// other datagram would be lost too, and only every second one
	// reported (the refusal of a datagram surfaces on the next write).
	refused bool
}

func (r *sendResult) lose(n int, err error) {
	r.dropped += n
	r.errs = appendOnce(r.errs, err)
}

// send sends the sampled spans e.tree holds: one datagram per span whose
// parent is not among them, with its descendants nested as subsegments.
// A nested document that does not fit in a datagram is split (see
// sendTree). Spans that could not be sent, or were not sent when ctx
// ended, are counted in the result. The caller holds e.mu.
func (e *Exporter) send(ctx context.Context) sendResult {
	var r sendResult
	t := &e.tree
	for i := range t.spans {
		if t.parent[i] == none && !t.sent[i] {
			e.sendTree(ctx, int32(i), &r)
		}
	}
	// Spans left are in a parent cycle, which only a corrupt export can
	// hold, or were left when ctx ended.
	for i, sent := range t.sent {
		if !sent {
			e.sendAlone(ctx, int32(i), &r)
		}
	}
	for _, sent := range t.sent {
		if !sent {
			r.dropped++
		}
	}
	return r
}

// sendTree sends span i with its descendants nested in one datagram or, if
// that does not fit, span i alone, then each child's tree the same way,
// each child document carrying its parent_id.
func (e *Exporter) sendTree(ctx context.Context, i int32, r *sendResult) {
	if err := ctx.Err(); err != nil {
		r.errs = appendOnce(r.errs, err)
		return
	}
	if r.refused {
		return
	}
	t := &e.tree
	if t.first[i] != none {
		e.enc.reset(e.cfg.maxSize)
		b := append(e.enc.buf[:0], Header...)
		b, ok := e.enc.appendSubtree(b, t, i, standalone, e.cfg.maxSize)
		e.enc.buf = b
		if ok {
			t.markSent(i)
			e.write(b, t.subtree(i), r)
			return
		}
	}
	e.sendAlone(ctx, i, r)
	for c := t.first[i]; c != none; c = t.next[c] {
		e.sendTree(ctx, c, r)
	}
}

// sendAlone sends span i in a datagram of its own, trimmed to fit.
func (e *Exporter) sendAlone(ctx context.Context, i int32, r *sendResult) {
	if err := ctx.Err(); err != nil {
		r.errs = appendOnce(r.errs, err)
		return
	}
	if r.refused {
		return
	}
	e.tree.sent[i] = true
	b, ok := e.enc.datagram(e.tree.spans[i], e.cfg.maxSize)
	if !ok {
		r.lose(1, ErrDocumentTooLarge)
		return
	}
	e.write(b, 1, r)
}

// write sends one datagram holding n spans.
func (e *Exporter) write(b []byte, n int, r *sendResult) {
	if _, err := e.conn.Write(b); err != nil {
		r.lose(n, fmt.Errorf("xray: send to %s: %w", e.addr, err))
		r.refused = r.refused || errors.Is(err, syscall.ECONNREFUSED)
	}
}

// appendSubtree appends span i's document with its descendants nested in
// "subsegments", in start order. It gives up, returning false, as soon as b
// exceeds limit.
func (e *encoder) appendSubtree(b []byte, t *forest, i int32, where placement, limit int) ([]byte, bool) {
	b = e.appendOpen(b, t.spans[i], trimNone, where)
	if len(b) > limit {
		return b, false
	}
	if c := t.first[i]; c != none {
		b = append(b, `,"subsegments":[`...)
		for ; c != none; c = t.next[c] {
			if c != t.first[i] {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = e.appendSubtree(b, t, c, nested, limit); !ok {
				return b, false
			}
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	return b, len(b) <= limit
}

// exportError turns the losses of one export into the error ExportSpans
// returns, counting them.
func (e *Exporter) exportError(r sendResult) error {
	if r.dropped == 0 {
		return nil
	}
	return e.drop(r.dropped, errors.Join(r.errs...))
}
