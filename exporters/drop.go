package exporters

// Signals, as passed to [DropCounter.Dropped].
const (
	SignalTraces  = "traces"
	SignalMetrics = "metrics"
	SignalLogs    = "logs"
)

// DropCounter counts telemetry an exporter could not deliver: items of
// signal (spans, metric series, log records) that exporter named exporter
// gave up on. The metrics package's telemetry-health collector implements
// it; an exporter with no DropCounter loses nothing silently either, as its
// ForceFlush still returns the error.
type DropCounter interface {
	Dropped(exporter, signal string, items int)
}

// DropCounterFunc adapts a function to a [DropCounter].
type DropCounterFunc func(exporter, signal string, items int)

// Dropped calls f.
func (f DropCounterFunc) Dropped(exporter, signal string, items int) { f(exporter, signal, items) }

var _ DropCounter = DropCounterFunc(nil)

// ExportFailureCounter is implemented by a [DropCounter] that also counts
// failed export attempts, as the metrics package's Recorder does
// (faas_telemetry_export_errors_total).
type ExportFailureCounter interface {
	ExportFailed(exporter, signal string)
}

// CountFailure reports one failed export attempt of exporter that lost items
// of signal: to dc as dropped items and, when dc counts them, as an export
// error. A nil dc is ignored.
func CountFailure(dc DropCounter, exporter, signal string, items int) {
	if dc == nil {
		return
	}
	if f, ok := dc.(ExportFailureCounter); ok {
		f.ExportFailed(exporter, signal)
	}
	dc.Dropped(exporter, signal, items)
}
