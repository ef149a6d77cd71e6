package metrics

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/lumen-rt/lumen/exporters"
)

// Names and labels of the telemetry-health metrics.
const (
	nameDropped       = "faas_telemetry_dropped_items_total"
	nameExportErrors  = "faas_telemetry_export_errors_total"
	nameFlushOverruns = "faas_telemetry_flush_overruns_total"
	nameFlushFailures = "faas_telemetry_flush_failures_total"
	nameFlushSkipped  = "faas_telemetry_flush_skipped_total"
)

const (
	// MaxComponentNames is how many distinct exporter names, and how many
	// distinct flusher names, the telemetry-health metrics keep as their own
	// label values; later new names are recorded as "other". Names come
	// from code, not from requests, so the cap is only a guard.
	MaxComponentNames = 32
	// MaxComponentNameLength is the longest exporter or flusher name, in
	// bytes, kept as a label value; longer ones are recorded as "other".
	MaxComponentNameLength = 64
)

// healthMetrics counts what the telemetry pipeline lost or failed to do.
type healthMetrics struct {
	dropped       *family
	exportErrors  *family
	flushOverruns *family
	flushFailures *family
	flushSkipped  *family
	exporterNames boundedNames
	flusherNames  boundedNames
}

func newHealthMetrics(reg *registrar) *healthMetrics {
	counter := func(name, otelName, unit, help string, labels ...string) *family {
		return reg.family(metricDef{name: name, otelName: otelName, unit: unit, help: help, kind: KindCounter, labels: labels})
	}
	return &healthMetrics{
		dropped: counter(nameDropped, "lumen.telemetry.dropped_items", "{item}",
			"Telemetry items (spans, metric series, log records) an exporter gave up on, by exporter and signal.",
			labelExporter, labelSignal),
		exportErrors: counter(nameExportErrors, "lumen.telemetry.export_errors", "{error}",
			"Failed export attempts reported by exporters, by exporter and signal.", labelExporter, labelSignal),
		flushOverruns: counter(nameFlushOverruns, "lumen.telemetry.flush.overruns", "{flush}",
			"Flushes that did not finish within the flush budget, retries in the background included, by flusher.", labelFlusher),
		flushFailures: counter(nameFlushFailures, "lumen.telemetry.flush.failures", "{flush}",
			"Flushes that returned an error within the flush budget, retries in the background included, by flusher.", labelFlusher),
		flushSkipped: counter(nameFlushSkipped, "lumen.telemetry.flush.skipped", "{flush}",
			"Flushes a flusher was not called at: still busy with an earlier flush, or backing off after a failure, by flusher.", labelFlusher),
		exporterNames: boundedNames{max: MaxComponentNames},
		flusherNames:  boundedNames{max: MaxComponentNames},
	}
}

// signalLabel bounds the signal label to the three signals and "other".
func signalLabel(s string) string {
	switch s {
	case exporters.SignalTraces, exporters.SignalMetrics, exporters.SignalLogs:
		return s
	}
	return ErrorTypeOther
}

// boundedNames maps component names to label values: the first max distinct
// valid names are kept, every other name becomes "other". Known names are
// looked up without a lock in a map copied on write, which happens at most
// max times.
type boundedNames struct {
	mu    sync.Mutex // serialises admissions
	max   int
	names atomic.Pointer[map[string]string]
}

func (b *boundedNames) label(name string) string {
	if name == "" || len(name) > MaxComponentNameLength || !utf8.ValidString(name) {
		return ErrorTypeOther
	}
	if names := b.names.Load(); names != nil {
		if l, ok := (*names)[name]; ok {
			return l
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var cur map[string]string
	if names := b.names.Load(); names != nil {
		cur = *names
	}
	if l, ok := cur[name]; ok {
		return l
	}
	if len(cur) >= b.max {
		return ErrorTypeOther
	}
	next := make(map[string]string, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	l := strings.Clone(name)
	next[l] = l
	b.names.Store(&next)
	return l
}

// Dropped counts items of signal that exporter could not deliver, in
// faas_telemetry_dropped_items_total. It implements [exporters.DropCounter];
// items <= 0 are ignored. Signals other than traces, metrics and logs are
// recorded as "other".
func (r *Recorder) Dropped(exporter, signal string, items int) {
	if r == nil || items <= 0 {
		return
	}
	h := r.health
	h.dropped.with(h.exporterNames.label(exporter), signalLabel(signal)).c.add(float64(items))
}

// ExportFailed counts one failed export attempt of signal by exporter, in
// faas_telemetry_export_errors_total. Exporters that retry or export in the
// background call it for each attempt that failed; items they finally give
// up on go to [Recorder.Dropped].
func (r *Recorder) ExportFailed(exporter, signal string) {
	if r == nil {
		return
	}
	h := r.health
	h.exportErrors.with(h.exporterNames.label(exporter), signalLabel(signal)).c.inc()
}

// FlushOverrun counts a flush of flusher that did not finish within its
// budget, in faas_telemetry_flush_overruns_total.
func (r *Recorder) FlushOverrun(flusher string) {
	if r == nil {
		return
	}
	r.health.flushOverruns.with(r.health.flusherNames.label(flusher)).c.inc()
}

// FlushFailed counts a flush of flusher that returned an error within its
// budget, in faas_telemetry_flush_failures_total.
func (r *Recorder) FlushFailed(flusher string) {
	if r == nil {
		return
	}
	r.health.flushFailures.with(r.health.flusherNames.label(flusher)).c.inc()
}

// FlushSkipped counts a flush of flusher that was not started because an
// earlier, overrun flush of it was still running, in
// faas_telemetry_flush_skipped_total.
func (r *Recorder) FlushSkipped(flusher string) {
	if r == nil {
		return
	}
	r.health.flushSkipped.with(r.health.flusherNames.label(flusher)).c.inc()
}

var _ exporters.DropCounter = (*Recorder)(nil)
