package otlplog

import (
	"context"
	"reflect"
	"sync/atomic"

	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/lumen-rt/lumen/exporters"
)

// Name is the exporter name passed to the DropCounter.
const Name = "otlplog"

// ledger counts the records between the handler and the backend: pending
// are accepted by the queue and not yet handed to the exporter.
type ledger struct {
	drops    exporters.DropCounter
	pending  atomic.Int64
	maxQueue int64
}

func (l *ledger) dropped(n int) {
	if n > 0 && l.drops != nil {
		l.drops.Dropped(Name, exporters.SignalLogs, n)
	}
}

// countingExporter is the innermost exporter: it releases queue slots as
// records leave and counts the records of failed exports.
type countingExporter struct {
	sdklog.Exporter
	l *ledger
}

var _ sdklog.Exporter = (*countingExporter)(nil)

// Export exports records and counts those the backend did not take.
func (e *countingExporter) Export(ctx context.Context, records []sdklog.Record) error {
	e.l.pending.Add(-int64(len(records)))
	err := e.Exporter.Export(ctx, records)
	if err != nil {
		e.l.dropped(rejected(err, len(records)))
	}
	return err
}

// rejected returns how many of n records err says were lost: the rejected
// count of an OTLP partial success, else n. The OTLP exporters report a
// partial success as an error of an internal type with an exported
// RejectedItems field and no exported way to match it, so the field is read
// by reflection; any other error loses the whole batch.
func rejected(err error, n int) int {
	partial, lost := false, 0
	var walk func(error) bool
	walk = func(err error) bool {
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if !walk(e) {
					return false
				}
			}
			return true
		case interface{ Unwrap() error }:
			if inner := u.Unwrap(); inner != nil {
				return walk(inner)
			}
		}
		if k, ok := partialSuccess(err); ok {
			partial, lost = true, lost+k
			return true
		}
		return false // any other error: the batch is lost
	}
	if walk(err) && partial {
		return min(lost, n)
	}
	return n
}

// partialSuccess reads the rejected count of an OTLP partial-success error.
func partialSuccess(err error) (int, bool) {
	v := reflect.ValueOf(err)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return 0, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || v.Type().Name() != "PartialSuccess" {
		return 0, false
	}
	f := v.FieldByName("RejectedItems")
	if !f.IsValid() || !f.CanInt() {
		return 0, false
	}
	return int(f.Int()), true
}

// guard admits a record into the batch processor only while the ledger has
// room, so the processor's own queue never overflows silently: every record
// turned away is counted here.
type guard struct {
	*sdklog.BatchProcessor
	l *ledger
}

var _ sdklog.Processor = (*guard)(nil)

// OnEmit queues r, or drops and counts it when the queue is full.
func (g *guard) OnEmit(ctx context.Context, r *sdklog.Record) error {
	if g.l.pending.Add(1) > g.l.maxQueue {
		g.l.pending.Add(-1)
		g.l.dropped(1)
		return nil
	}
	return g.BatchProcessor.OnEmit(ctx, r)
}
