package metrics

import "github.com/lumen-rt/lumen/exporters"

// The series model lives with the exporter contract (package exporters), so
// that exporters read a Recorder's series without importing this package.
type (
	// Series is one time series read straight from the Recorder's
	// instruments: see [exporters.Series].
	Series = exporters.Series
	// Kind is the kind of a Series.
	Kind = exporters.Kind
	// Label is one label of a Series, under its Prometheus and
	// OpenTelemetry names.
	Label = exporters.Label
	// Quantile is one precomputed quantile of a summary Series.
	Quantile = exporters.Quantile
)

// The kinds of series a Recorder holds.
const (
	KindCounter   = exporters.KindCounter
	KindGauge     = exporters.KindGauge
	KindHistogram = exporters.KindHistogram
	KindSummary   = exporters.KindSummary
)
