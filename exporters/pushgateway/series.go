package pushgateway

import (
	"math"

	dto "github.com/prometheus/client_model/go"
)

// seriesCount returns how many series Prometheus stores for mfs when it
// scrapes them from the Pushgateway: one per counter, gauge and untyped
// metric; quantiles plus _sum and _count per summary; classic buckets (with
// +Inf) plus _sum and _count per histogram, or one series for a histogram
// that has native buckets only.
func seriesCount(mfs []*dto.MetricFamily) int {
	n := 0
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			switch mf.GetType() {
			case dto.MetricType_SUMMARY:
				n += len(m.GetSummary().GetQuantile()) + 2
			case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
				n += histogramSeries(m.GetHistogram())
			default:
				n++
			}
		}
	}
	return n
}

func histogramSeries(h *dto.Histogram) int {
	b := h.GetBucket()
	if len(b) == 0 && (h.Schema != nil || h.ZeroThreshold != nil) {
		return 1
	}
	n := len(b) + 2
	if len(b) == 0 || !math.IsInf(b[len(b)-1].GetUpperBound(), +1) {
		n++
	}
	return n
}
