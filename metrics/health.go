package metrics

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters"
)

// Names and labels of the telemetry-health metrics.
const (
	nameDropped       = "faas_telemetry_dropped_items_total"
	nameExportErrors  = "faas_telemetry_export_errors_total"
	nameFlushOverruns = "faas_telemetry_flush_overruns_total"
	nameFlushFailures = "faas_telemetry_flush_failures_total"
	nameFlushSkipped  = "faas_telemetry_flush_skipped_total"

	labelExporter = "exporter"
	labelSignal   = "signal"
	labelFlusher  = "flusher"
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
	dropped       *prometheus.CounterVec
	exportErrors  *prometheus.CounterVec
	flushOverruns *prometheus.CounterVec
	flushFailures *prometheus.CounterVec
	flushSkipped  *prometheus.CounterVec
	exporterNames boundedNames
	flusherNames  boundedNames
}

func newHealthMetrics(reg *registrar) *healthMetrics {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return registerAs(reg, name, prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: reg.labels}, labels))
	}
	return &healthMetrics{
		dropped: counter(nameDropped,
			"Telemetry items (spans, metric series, log records) an exporter gave up on, by exporter and signal.",
			labelExporter, labelSignal),
		exportErrors: counter(nameExportErrors,
			"Failed export attempts reported by exporters, by exporter and signal.", labelExporter, labelSignal),
		flushOverruns: counter(nameFlushOverruns,
			"Flushes that did not finish within the flush budget, by flusher.", labelFlusher),
		flushFailures: counter(nameFlushFailures,
			"Flushes that returned an error within the flush budget, by flusher.", labelFlusher),
		flushSkipped: counter(nameFlushSkipped,
			"Flushes not started because the flusher was still busy with an earlier one, by flusher.", labelFlusher),
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
// valid names are kept, every other name becomes "other". It is used off
// the hot path (on failures and drops), so a mutex is enough.
type boundedNames struct {
	mu    sync.Mutex
	max   int
	names map[string]string
}

func (b *boundedNames) label(name string) string {
	if name == "" || len(name) > MaxComponentNameLength || !utf8.ValidString(name) {
		return ErrorTypeOther
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.names[name]; ok {
		return l
	}
	if len(b.names) >= b.max {
		return ErrorTypeOther
	}
	if b.names == nil {
		b.names = make(map[string]string)
	}
	l := strings.Clone(name)
	b.names[l] = l
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
	h.dropped.WithLabelValues(h.exporterNames.label(exporter), signalLabel(signal)).Add(float64(items))
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
	h.exportErrors.WithLabelValues(h.exporterNames.label(exporter), signalLabel(signal)).Inc()
}

// FlushOverrun counts a flush of flusher that did not finish within its
// budget, in faas_telemetry_flush_overruns_total.
func (r *Recorder) FlushOverrun(flusher string) {
	if r == nil {
		return
	}
	r.health.flushOverruns.WithLabelValues(r.health.flusherNames.label(flusher)).Inc()
}

// FlushFailed counts a flush of flusher that returned an error within its
// budget, in faas_telemetry_flush_failures_total.
func (r *Recorder) FlushFailed(flusher string) {
	if r == nil {
		return
	}
	r.health.flushFailures.WithLabelValues(r.health.flusherNames.label(flusher)).Inc()
}

// FlushSkipped counts a flush of flusher that was not started because an
// earlier, overrun flush of it was still running, in
// faas_telemetry_flush_skipped_total.
func (r *Recorder) FlushSkipped(flusher string) {
	if r == nil {
		return
	}
	r.health.flushSkipped.WithLabelValues(r.health.flusherNames.label(flusher)).Inc()
}

var _ exporters.DropCounter = (*Recorder)(nil)
