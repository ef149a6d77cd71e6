package otlp

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/sdk/instrumentation"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/exporters/internal/turn"
)

// LogsScope is the instrumentation scope of the log records.
const LogsScope = "github.com/lumen-rt/lumen/logging"

// LogExporter sends slog records as OTLP log records: its [Handler]
// encodes each record at once into a pending request (no record is kept),
// and ForceFlush sends everything pending in one request. Its methods are
// safe for concurrent use.
type LogExporter struct {
	send       *sender
	maxRecords int
	maxBytes   int
	handler    *handler
	closed     atomic.Bool
	scratch    sync.Pool // *[]byte, one record's encoding

	// mu guards the pending records: pending[:room] is reserved for the
	// request's head, pending[room:] holds records encoded LogRecord
	// fields.
	mu      sync.Mutex
	pending []byte
	records int
	room    int
	// halfFull is set under mu when records or pending reach half their
	// bounds, for HalfFull.
	halfFull atomic.Bool

	// turn holds one token: the flush in progress. The fields below are
	// used only by its holder.
	turn  turn.Turn
	frame *otlpwire.Logs
	spare []byte
}

// NewLogExporter returns a log exporter. It does no I/O. Its handler
// applies no level, sampling or redaction policy: wrap it with
// logging.Wrap. Defaults: see the options.
func NewLogExporter(opts ...Option) (*LogExporter, error) {
	c := newConfig(opts)
	s, err := newSender(&c, exporters.SignalLogs, pathLogs)
	if err != nil {
		return nil, err
	}
	e := &LogExporter{
		send:       s,
		maxRecords: c.maxRecords,
		maxBytes:   c.maxBytes,
		turn:       turn.New(),
		frame:      otlpwire.NewLogs(c.resource, instrumentation.Scope{Name: LogsScope}),
	}
	e.room = e.frame.HeadRoom()
	e.pending = make([]byte, e.room, e.room+4096)
	e.scratch.New = func() any { b := make([]byte, 0, 512); return &b }
	e.handler = &handler{e: e}
	return e, nil
}

// Handler returns the slog.Handler whose records this exporter sends. It is
// enabled at every level: wrap it with logging.Wrap for Lambda's level,
// sampling and redaction.
func (e *LogExporter) Handler() slog.Handler { return e.handler }

// add appends one encoded LogRecord field to the pending request, or
// drops and counts it when the bounds are reached or the exporter is shut
// down.
func (e *LogExporter) add(rec []byte) {
	e.mu.Lock()
	if e.closed.Load() || e.records >= e.maxRecords || len(e.pending)-e.room+len(rec) > e.maxBytes {
		e.mu.Unlock()
		e.send.dropped(1)
		return
	}
	e.pending = append(e.pending, rec...)
	e.records++
	e.held()
	e.mu.Unlock()
}

// held updates halfFull; the caller holds mu.
func (e *LogExporter) held() {
	e.halfFull.Store(2*e.records >= e.maxRecords || 2*(len(e.pending)-e.room) >= e.maxBytes)
}

// HalfFull reports whether the pending records reach half the exporter's
// bounds ([WithMaxRecords], [WithMaxBytes]). A flush strategy that defers
// flushes flushes at once when it does, before records are dropped. It
// takes no lock.
func (e *LogExporter) HalfFull() bool { return e.halfFull.Load() }

// ForceFlush sends every pending record in one request and returns when it
// is answered or ctx ends. When the backend may accept them later (no
// answer, 429, 502, 503, 504), the records are kept for the next flush,
// within the bounds; otherwise they are dropped and counted. The error is
// an [*ExportError]. After Shutdown it does nothing.
func (e *LogExporter) ForceFlush(ctx context.Context) error {
	if e.closed.Load() {
		return nil
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("otlp: logs: waiting for the flush in progress: %w", err)
	}
	defer e.turn.Release()
	return e.flush(ctx, false)
}

// Shutdown sends the pending records once, waiting for a flush in progress
// but never past ctx; records it cannot send are dropped and counted.
// Records logged afterwards are dropped and counted. Later calls, and
// ForceFlush, do nothing.
func (e *LogExporter) Shutdown(ctx context.Context) error {
	e.mu.Lock() // no record is added once closed is set
	first := e.closed.CompareAndSwap(false, true)
	e.mu.Unlock()
	if !first {
		return nil
	}
	if err := e.turn.Acquire(ctx); err != nil {
		e.mu.Lock()
		n := e.records
		e.mu.Unlock()
		e.send.dropped(n)
		return fmt.Errorf("otlp: logs: waiting for the flush in progress: %w", err)
	}
	defer e.turn.Release()
	return e.flush(ctx, true)
}

// flush sends the pending records. The caller holds the turn. When final,
// records that fail are dropped rather than kept.
func (e *LogExporter) flush(ctx context.Context, final bool) error {
	e.mu.Lock()
	if e.records == 0 {
		e.mu.Unlock()
		return nil
	}
	batch, n := e.pending, e.records
	e.pending, e.records = e.spare, 0
	e.halfFull.Store(false)
	if e.pending == nil {
		e.pending = make([]byte, e.room, cap(batch))
	}
	e.spare = nil
	e.mu.Unlock()

	err := e.send.send(ctx, e.frame.Frame(batch, e.room), n)
	if err == nil {
		e.recycle(batch)
		return nil
	}
	x, _ := asExportError(err)
	if x == nil || final || !x.Retryable() {
		lost := n
		if x != nil && x.partial() {
			lost = x.Items
		}
		e.send.countFailure(lost)
		e.recycle(batch)
		return err
	}
	e.send.countFailure(0)
	e.keep(batch, n)
	return err
}

// recycle makes batch, sent, the spare buffer.
func (e *LogExporter) recycle(batch []byte) {
	e.spare = batch[:e.room]
}

// keep puts the n records of batch, which failed, back before the records
// logged since, keeping as many of the newer ones as the bounds allow and
// counting the rest as dropped.
func (e *LogExporter) keep(batch []byte, n int) {
	e.mu.Lock()
	newer := e.pending[e.room:]
	records, dropped := n, 0
	for len(newer) > 0 {
		size := recordSize(newer)
		if records < e.maxRecords && len(batch)-e.room+size <= e.maxBytes {
			batch = append(batch, newer[:size]...)
			records++
		} else {
			dropped++
		}
		newer = newer[size:]
	}
	e.spare = e.pending[:e.room]
	e.pending, e.records = batch, records
	e.held()
	e.mu.Unlock()
	e.send.dropped(dropped)
}

// recordSize returns the length of the first LogRecord field of b, which
// holds whole fields written by the handler.
func recordSize(b []byte) int {
	_, _, n := protowire.ConsumeField(b)
	if n < 0 {
		return len(b) // cannot happen: the handler wrote them
	}
	return n
}

// Name returns the name the exporter's drops are counted under.
func (e *LogExporter) Name() string { return e.send.name }

var _ exporters.LogExporter = (*LogExporter)(nil)
