package dashboards

// kind is a Grafana panel type.
type kind string

// The panel types the dashboards use.
const (
	kindStat       kind = "stat"
	kindTimeseries kind = "timeseries"
	kindBarGauge   kind = "bargauge"
)

// query is one PromQL target of a panel.
type query struct {
	expr   string
	legend string
	// instant asks Grafana for one value at the end of the range, for
	// queries over $__range.
	instant bool
}

// step is a threshold: from value on, color (no value: the base step).
type step struct {
	color string
	value *float64
}

// at returns a threshold step starting at v.
func at(color string, v float64) step { return step{color: color, value: &v} }

// base is the first threshold step.
func base(color string) step { return step{color: color} }

// Threshold sets used across the dashboards.
var (
	// okThresholds colours every value green: the panel has no bad value.
	okThresholds = []step{base("green")}
	// anyBad colours a count of one or more red (timeouts, drops, overruns).
	anyBad = []step{base("green"), at("red", 1)}
	// errorRatio follows Datadog's serverless warnings: above 1 % is a
	// warning, above 10 % high.
	errorRatio = []step{base("green"), at("yellow", 0.01), at("red", 0.1)}
	// coldStartRatio warns above 1 % of invocations.
	coldStartRatio = []step{base("green"), at("yellow", 0.01), at("red", 0.1)}
	// memoryShare warns when invocations use more than 80 % of the memory
	// size: a little more and Lambda ends them with Runtime.OutOfMemory.
	memoryShare = []step{base("green"), at("yellow", 0.8), at("red", 0.95)}
)

// panelSpec describes one panel; build turns it into the SDK's model.
type panelSpec struct {
	kind        kind
	title       string
	description string
	unit        string
	queries     []query
	thresholds  []step
	// bars draws a time series as bars (counts per window).
	bars bool
	// stacked stacks the series of a time series.
	stacked bool
	// width in grid columns; 0 shares the row equally.
	width uint32
	// min is the lower bound of the axis or gauge (nil: auto).
	min *float64
	// maxValue is the upper bound (nil: auto).
	maxValue *float64
}

// section is a row of the dashboard: an optional row header and panels of
// one height laid left to right.
type section struct {
	title  string
	height uint32
	panels []panelSpec
}

// boardSpec describes one dashboard.
type boardSpec struct {
	file        string
	uid         string
	title       string
	description string
	tags        []string
	// trigger adds the trigger variable; the dashboard's queries then use
	// it wherever the metric carries faas_trigger.
	trigger  bool
	sections []section
}

// zero is a pointer to 0, for axis minimums.
func zero() *float64 { v := 0.0; return &v }

// one is a pointer to 1, for ratio maximums.
func one() *float64 { v := 1.0; return &v }
