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
