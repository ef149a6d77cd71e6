package dashboards

import (
	"fmt"
	"strings"
)

// Grafana variables and built-ins used in the queries.
const (
	varDatasource   = "datasource"
	varFunction     = "function"
	varTrigger      = "trigger"
	rateInterval    = "$__rate_interval"
	wholeRange      = "$__range"
	labelFunction   = "faas_name"
	labelTrigger    = "faas_trigger"
	labelErrorType  = "error_type"
	labelPhase      = "phase"
	labelExporter   = "exporter"
	labelSignal     = "signal"
	labelFlusher    = "flusher"
	metricInvokes   = "faas_invocations_total"
	metricErrors    = "faas_errors_total"
	metricTimeouts  = "faas_timeouts_total"
	metricColds     = "faas_coldstarts_total"
	metricDuration  = "faas_invoke_duration_seconds"
	metricInit      = "faas_init_duration_seconds"
	metricPhase     = "faas_phase_duration_seconds"
	metricFlush     = "faas_telemetry_flush_duration_seconds"
	metricDropped   = "faas_telemetry_dropped_items_total"
	metricExportErr = "faas_telemetry_export_errors_total"
	metricOverruns  = "faas_telemetry_flush_overruns_total"
	metricFailures  = "faas_telemetry_flush_failures_total"
	metricSkipped   = "faas_telemetry_flush_skipped_total"
	metricInflight  = "faas_inflight_invocations"
	metricMaxMemory = "faas_max_memory_bytes"

	// Lambda's own measurements, from its Telemetry API reports.
	metricBilledGBs      = "faas_billed_gb_seconds_total"
	metricCost           = "faas_estimated_cost_usd_total"
	metricMemUsage       = "faas_mem_usage_bytes"
	metricMemUtilization = "faas_memory_utilization_ratio"
	metricPlatformInit   = "faas_platform_init_duration_seconds"
	metricStatus         = "faas_invocation_status_total"
	labelStatus          = "status"
	labelInitType        = "init_type"
	// errorTypeOutOfMemory is the errorType of an invocation Lambda ended
	// for running out of memory.
	errorTypeOutOfMemory = "Runtime.OutOfMemory"
)

// scope is the label matchers of a dashboard's variables.
type scope string

const (
	// byFunctionAndTrigger selects the per-invocation metrics, which carry
	// faas_trigger.
	byFunctionAndTrigger scope = `faas_name=~"$function", faas_trigger=~"$trigger"`
	// byFunction selects metrics without faas_trigger: phases, flushes,
	// telemetry health, Go and process collectors.
	byFunction scope = `faas_name=~"$function"`
)

// sel is metric{scope, extra...}.
func sel(metric string, s scope, extra ...string) string {
	m := append([]string{string(s)}, extra...)
	return metric + "{" + strings.Join(m, ", ") + "}"
}

// by renders a "by (...)" clause; no labels means a plain aggregation.
func by(labels ...string) string {
	if len(labels) == 0 {
		return ""
	}
	return " by (" + strings.Join(labels, ", ") + ")"
}

// sumRate is sum by (labels) (rate(metric{s}[$__rate_interval])).
func sumRate(metric string, s scope, labels ...string) string {
	return fmt.Sprintf("sum%s (rate(%s[%s]))", by(labels...), sel(metric, s), rateInterval)
}

// ratio divides two sums of rates grouped by the same labels.
func ratio(num, den string, s scope, labels ...string) string {
	return sumRate(num, s, labels...) + " / " + sumRate(den, s, labels...)
}

// quantile is the classic histogram_quantile of metric's buckets over
// $__rate_interval, grouped by labels.
func quantile(q float64, metric string, s scope, labels ...string) string {
	return fmt.Sprintf("histogram_quantile(%g, sum%s (rate(%s[%s])))",
		q, by(append([]string{"le"}, labels...)...), sel(metric+"_bucket", s), rateInterval)
}

// mean is sum of rate(_sum) over sum of rate(_count), grouped by labels.
func mean(metric string, s scope, labels ...string) string {
	return sumRate(metric+"_sum", s, labels...) + " / " + sumRate(metric+"_count", s, labels...)
}

// IncreaseWithBirths returns the PromQL of the increase of the counter (or
// histogram bucket) series selected by selector over window, counting series
// born inside the window with their whole value:
//
//	(increase(S[w]) and S offset w) or (last_over_time(S[w]) unless S offset w)
//
// A series that existed w ago contributes its increase; one that did not is
// new, so everything it holds happened inside the window (a new execution
// environment's counters start at zero), including the increments of its
// first sample, which increase alone never sees. last_over_time rather than
// the instant value keeps environments that ended inside the window.
func IncreaseWithBirths(selector, window string) string {
	return fmt.Sprintf("(increase(%[1]s[%[2]s]) and %[1]s offset %[2]s) or (last_over_time(%[1]s[%[2]s]) unless %[1]s offset %[2]s)",
		selector, window)
}

// sumBirths is sum by (labels) of IncreaseWithBirths(metric{s}, window).
func sumBirths(metric string, s scope, window string, labels ...string) string {
	return fmt.Sprintf("sum%s (%s)", by(labels...), IncreaseWithBirths(sel(metric, s), window))
}

// quantileBirths is the histogram_quantile of the buckets counted with
// IncreaseWithBirths over window.
func quantileBirths(q float64, metric string, s scope, window string, labels ...string) string {
	return fmt.Sprintf("histogram_quantile(%g, %s)",
		q, sumBirths(metric+"_bucket", s, window, append([]string{"le"}, labels...)...))
}
