package exporters

import "time"

// Kind is the kind of a [Series].
type Kind uint8

// The kinds of series a Recorder holds.
const (
	// KindCounter is a monotonic sum, cumulative since [Series.Start].
	KindCounter Kind = iota + 1
	// KindGauge is a value that goes up and down.
	KindGauge
	// KindHistogram is an explicit-bucket histogram, cumulative since
	// [Series.Start].
	KindHistogram
	// KindSummary is a summary: Count and Sum cumulative since
	// [Series.Start], and precomputed Quantiles. A Recorder's own
	// instruments are never summaries; the collectors it gathers may have
	// some (the Go collector's go_gc_duration_seconds is one).
	KindSummary
)

// Quantile is one precomputed quantile of a summary.
type Quantile struct {
	// Quantile is the rank, in [0, 1].
	Quantile float64
	// Value is the observed value at that rank.
	Value float64
}

// Label is one label of a [Series], under both of its names.
type Label struct {
	// Name is the Prometheus label name (faas_trigger).
	Name string
	// Key is the OpenTelemetry attribute key (faas.trigger).
	Key string
	// Value is the label's value.
	Value string
}

// Series is one time series as a [SeriesSource] (the metrics package's
// Recorder) holds it, read straight from its instruments without gathering
// a Prometheus registry. The exporters that encode metrics themselves (OTLP,
// EMF) read Series; those that speak Prometheus (/metrics, the Pushgateway,
// remote write) gather the registry.
//
// A Series handed to a visitor is valid only during the call: the source
// reuses it and its slices for the next series. Copy what must outlive it,
// and modify none of it (Labels, Bounds and Quantiles may be the source's
// own). The strings stay valid: they are never modified.
type Series struct {
	// ID identifies the series for the life of its source. IDs are small
	// and dense (0, 1, 2, …, in the order series are first created), so an
	// exporter can keep per-series state, such as the last value sent for a
	// delta, in a slice indexed by ID. The Name, Kind and Labels of an ID
	// never change.
	ID int
	// Name is the Prometheus name (faas_invocations_total).
	Name string
	// OTelName is the OpenTelemetry instrument name (faas.invocations), the
	// semantic-convention name where one exists.
	OTelName string
	// Unit is the UCUM unit (s, By, {invocation}).
	Unit string
	// Help describes the metric.
	Help string
	// Kind says which of the value fields below are set.
	Kind Kind
	// Labels are the series' labels: for a Recorder's own instruments the
	// constant labels first, sorted by name, then its own, in a fixed
	// order; for gathered series in the collector's order. A label with an
	// empty value is an absent label, as in Prometheus: encoders leave it
	// out (the error_type of a successful invocation's status).
	Labels []Label
	// Start is when the series began accumulating: the start time of a
	// cumulative counter or histogram.
	Start time.Time
	// Value is the value of a counter or gauge.
	Value float64
	// Count and Sum are the number and sum of a histogram's or a
	// summary's observations.
	Count uint64
	Sum   float64
	// Bounds are a histogram's upper bucket bounds, ascending, without
	// +Inf. The slice is shared: do not modify it.
	Bounds []float64
	// Counts are a histogram's per-bucket counts, not cumulative:
	// len(Bounds)+1 entries, the last one for observations above every
	// bound. Count is their total.
	Counts []uint64
	// Quantiles are a summary's precomputed quantiles, by ascending rank.
	Quantiles []Quantile
}

// SeriesSource hands every series it holds to visit, one at a time, without
// gathering a registry. The metrics package's Recorder implements it.
type SeriesSource interface {
	Visit(visit func(*Series))
}
