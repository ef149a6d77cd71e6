package dashboards_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards/internal/lint"
	"github.com/lumen-rt/lumen/metrics"
)

// exposedNames records a little of everything with a real Recorder and
// returns every series name its registry exposes, histograms as _bucket,
// _sum and _count and summaries as themselves, _sum and _count.
func exposedNames(t *testing.T) []string {
	t.Helper()
	rec, err := metrics.New(metrics.WithFunctionName("orders"), metrics.WithMaxMemory(128<<20))
	require.NoError(t, err)
	d := metrics.NewColdStartDetector(metrics.InitOnDemand)
	d.InitDone()
	for i, res := range []metrics.InvocationResult{
		{Trigger: metrics.TriggerHTTP, Duration: 30 * time.Millisecond, Start: d.Start()},
		{Trigger: metrics.TriggerPubSub, Duration: time.Second, ErrorType: "Runtime.MarshalError"},
		{Trigger: metrics.TriggerHTTP, Duration: 3 * time.Second, Timeout: true},
	} {
		rec.InvocationStarted()
		for p := range metrics.PhaseFlush + 1 {
			rec.ObservePhase(p, time.Duration(i+1)*time.Millisecond)
		}
		rec.RecordInvocation(res)
	}
	rec.RecordPlatformInit(metrics.PlatformInitReport{InitType: metrics.InitOnDemand, Duration: 80 * time.Millisecond})
	rec.RecordPlatformRestore(200 * time.Millisecond)
	rec.RecordPlatformRuntimeDone(metrics.PlatformRuntimeDone{Trigger: metrics.TriggerHTTP, ResponseLatency: 20 * time.Millisecond,
		ResponseDuration: time.Millisecond, ProducedBytes: 512})
	rec.RecordPlatformReport(metrics.PlatformReport{Trigger: metrics.TriggerHTTP, Status: metrics.StatusError,
		ErrorType: "Runtime.OutOfMemory", Duration: 30 * time.Millisecond, BilledDuration: 31 * time.Millisecond,
		MaxMemoryUsedBytes: 128 << 20, MemoryLimitBytes: 128 << 20})
	rec.Dropped("pushgateway", "metrics", 3)
	rec.ExportFailed("pushgateway", "metrics")
	rec.FlushOverrun("pushgateway")
	rec.FlushFailed("pushgateway")
	rec.FlushSkipped("pushgateway")

	mfs, err := rec.Gatherer().Gather()
	require.NoError(t, err)
	return seriesNames(mfs)
}

// seriesNames returns the names of the series of mfs, histograms as
// _bucket, _sum and _count and summaries as themselves, _sum and _count.
func seriesNames(mfs []*dto.MetricFamily) []string {
	var names []string
	for _, mf := range mfs {
		n := mf.GetName()
		switch mf.GetType() {
		case dto.MetricType_HISTOGRAM:
			names = append(names, n+"_bucket", n+"_sum", n+"_count")
		case dto.MetricType_SUMMARY:
			names = append(names, n, n+"_sum", n+"_count")
		default:
			names = append(names, n)
		}
	}
	return names
}

// Every query parses after variable expansion, and every metric it selects
// is one a Recorder really exposes.
func TestQueriesSelectExposedMetrics(t *testing.T) {
	exposed := exposedNames(t)
	ds, _ := loadCommitted(t)
	queries := 0
	for _, d := range ds {
		for _, p := range d.AllPanels() {
			for _, tg := range p.Targets {
				t.Run(d.UID+"/"+p.Title+"/"+tg.RefID, func(t *testing.T) {
					names, err := lint.Metrics(tg.Expr)
					require.NoError(t, err)
					require.NotEmpty(t, names)
					for _, n := range names {
						require.Contains(t, exposed, n, "query %q", tg.Expr)
					}
				})
				queries++
			}
		}
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			sel := strings.TrimSuffix(strings.TrimPrefix(v.QueryText(), "label_values("), ")")
			metric := sel[:strings.IndexAny(sel, "{,")]
			require.True(t, slices.Contains(exposed, metric), "variable %s selects %s", v.Name, metric)
		}
	}
	require.Greater(t, queries, 40)
}
