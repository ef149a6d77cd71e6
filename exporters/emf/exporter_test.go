package emf_test

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/metrics"
)

var fixedNow = time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// flushDocs flushes e, validates every line written to out against the EMF
// specification, and returns the documents.
func flushDocs(t *testing.T, e *emf.Exporter, out *bytes.Buffer) ([]*emfDoc, error) {
	t.Helper()
	err := e.ForceFlush(t.Context())
	var docs []*emfDoc
	for line := range strings.Lines(out.String()) {
		doc, verr := validateEMF([]byte(strings.TrimSuffix(line, "\n")))
		require.NoError(t, verr, line)
		require.Equal(t, fixedNow.UnixMilli(), doc.Timestamp)
		docs = append(docs, doc)
	}
	out.Reset()
	return docs, err
}

// values flattens documents to "metric{dim=value,...}" → value, the
// dimensions being those of the metric's own directive; a distribution
// gives "metric[count]{…}" and "metric[sum]{…}".
func values(docs []*emfDoc) map[string]float64 {
	out := map[string]float64{}
	for _, d := range docs {
		for name, v := range d.Values {
			var dims []string
			for _, k := range slices.Sorted(slices.Values(d.MetricDims[name])) {
				dims = append(dims, k+"="+d.DimValues[k])
			}
			key := "{" + strings.Join(dims, ",") + "}"
			if dist := d.Dists[name]; dist != nil {
				out[name+"[count]"+key] += dist.Count
				out[name+"[sum]"+key] += dist.Sum
				continue
			}
			out[name+key] += v
		}
	}
	return out
}

// gathered reads a registry as the exporter's Visitor, gathering on every
// flush.
func gathered(g prometheus.Gatherer) *metrics.GatherVisitor {
	return metrics.NewGatherVisitor(g, 0, nil)
}

type dropRecorder struct{ n map[string]int }

func (d *dropRecorder) Dropped(exporter, signal string, items int) {
	d.n[exporter+"/"+signal] += items
}

var _ exporters.DropCounter = (*dropRecorder)(nil)

func TestConversion(t *testing.T) {
	type step struct {
		do   func(reg *prometheus.Registry)
		want map[string]float64 // exactly the values written by this flush
	}
	counter := func(reg *prometheus.Registry, name string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: "h"}, labels)
		reg.MustRegister(c)
		return c
	}
	var (
		inv   *prometheus.CounterVec
		hist  prometheus.Histogram
		gauge prometheus.Gauge
	)
	tests := []struct {
		name  string
		opts  []emf.Option
		steps []step
	}{
		{
			name: "counters write increases, nothing when unchanged",
			steps: []step{
				{do: func(reg *prometheus.Registry) {
					inv = counter(reg, "faas_invocations_total", "faas_trigger")
					inv.WithLabelValues("http").Add(3)
					inv.WithLabelValues("pubsub") // zero: not written
				}, want: map[string]float64{"faas_invocations_total{faas_trigger=http}": 3}},
				{do: func(*prometheus.Registry) { inv.WithLabelValues("http").Add(2) },
					want: map[string]float64{"faas_invocations_total{faas_trigger=http}": 2}},
				{do: func(*prometheus.Registry) {}, want: map[string]float64{}},
				{do: func(*prometheus.Registry) { inv.WithLabelValues("pubsub").Inc() },
					want: map[string]float64{"faas_invocations_total{faas_trigger=pubsub}": 1}},
			},
		},
		{
			name: "gauges write their value when it changed",
			steps: []step{
				{do: func(reg *prometheus.Registry) {
					gauge = prometheus.NewGauge(prometheus.GaugeOpts{Name: "faas_inflight_invocations", Help: "h"})
					reg.MustRegister(gauge)
				}, want: map[string]float64{"faas_inflight_invocations{}": 0}},
				{do: func(*prometheus.Registry) {}, want: map[string]float64{}},
				{do: func(*prometheus.Registry) { gauge.Set(2) }, want: map[string]float64{"faas_inflight_invocations{}": 2}},
				{do: func(*prometheus.Registry) { gauge.Set(0) }, want: map[string]float64{"faas_inflight_invocations{}": 0}},
			},
		},
		{
			name: "histograms write the distribution of what was observed since the last flush",
			steps: []step{
				{do: func(reg *prometheus.Registry) {
					hist = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "faas_invoke_duration_seconds", Help: "h"})
					reg.MustRegister(hist)
					hist.Observe(0.25)
					hist.Observe(0.5)
				}, want: map[string]float64{
					"faas_invoke_duration_seconds[sum]{}": 0.75, "faas_invoke_duration_seconds[count]{}": 2,
				}},
				{do: func(*prometheus.Registry) { hist.Observe(2) }, want: map[string]float64{
					"faas_invoke_duration_seconds[sum]{}": 2, "faas_invoke_duration_seconds[count]{}": 1,
				}},
				{do: func(*prometheus.Registry) {}, want: map[string]float64{}},
			},
		},
		{
			name: "summaries like histograms",
			steps: []step{{do: func(reg *prometheus.Registry) {
				s := prometheus.NewSummary(prometheus.SummaryOpts{Name: "app_payload_bytes", Help: "h"})
				reg.MustRegister(s)
				s.Observe(100)
			}, want: map[string]float64{"app_payload_bytes_sum{}": 100, "app_payload_bytes_count{}": 1}}},
		},
		{
			name: "constant dimensions, labels win, empty labels are absent",
			opts: []emf.Option{emf.WithDimensions(map[string]string{"service": "orders", "stage": "prod"})},
			steps: []step{{do: func(reg *prometheus.Registry) {
				c := counter(reg, "app_things_total", "stage", "kind")
				c.WithLabelValues("dev", "").Inc()
			}, want: map[string]float64{"app_things_total{service=orders,stage=dev}": 1}}},
		},
		{
			name: "dimension values made ASCII and cut to 1024",
			steps: []step{{do: func(reg *prometheus.Registry) {
				c := counter(reg, "faas_errors_total", "error_type")
				c.WithLabelValues("Ærror").Inc()
				c.WithLabelValues(strings.Repeat("x", 2000)).Inc()
			}, want: map[string]float64{
				"faas_errors_total{error_type=__rror}":                            1,
				"faas_errors_total{error_type=" + strings.Repeat("x", 1024) + "}": 1,
			}}},
		},
		{
			name: "filter",
			opts: []emf.Option{emf.WithFilter(func(f string) bool { return strings.HasPrefix(f, "faas_") })},
			steps: []step{{do: func(reg *prometheus.Registry) {
				counter(reg, "faas_coldstarts_total").WithLabelValues().Inc()
				counter(reg, "go_gc_cycles_total").WithLabelValues().Inc()
			}, want: map[string]float64{"faas_coldstarts_total{}": 1}}},
		},
		{
			name: "a counter that went down restarted",
			steps: []step{
				{do: func(reg *prometheus.Registry) {
					inv = counter(reg, "faas_invocations_total")
					inv.WithLabelValues().Add(10)
				}, want: map[string]float64{"faas_invocations_total{}": 10}},
				{do: func(reg *prometheus.Registry) {
					reg.Unregister(inv)
					inv = counter(reg, "faas_invocations_total")
					inv.WithLabelValues().Add(4)
				}, want: map[string]float64{"faas_invocations_total{}": 4}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			var out bytes.Buffer
			e, err := emf.New(gathered(reg), append([]emf.Option{emf.WithWriter(&out), emf.WithClock(clock), emf.WithNamespace("Test")}, tt.opts...)...)
			require.NoError(t, err)
			for i, s := range tt.steps {
				s.do(reg)
				docs, err := flushDocs(t, e, &out)
				require.NoError(t, err)
				require.Equal(t, s.want, values(docs), "flush %d", i)
				for _, d := range docs {
					require.Equal(t, "Test", d.Namespace)
				}
			}
			require.NoError(t, e.Shutdown(t.Context()))
		})
	}
}

func TestUnits(t *testing.T) {
	t.Run("Lumen's UCUM units", func(t *testing.T) {
		rec, err := metrics.New(metrics.WithRuntimeCollectors(false))
		require.NoError(t, err)
		rec.InvocationStarted()
		rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP, Duration: time.Millisecond, RequestBytes: 9, ResponseBytes: -1})
		rec.RecordPlatformReport(metrics.PlatformReport{Trigger: metrics.TriggerHTTP, BilledDuration: time.Millisecond,
			MaxMemoryUsedBytes: 64 << 20, MemoryLimitBytes: 128 << 20})
		var out bytes.Buffer
		e, err := emf.New(rec, emf.WithWriter(&out), emf.WithClock(clock))
		require.NoError(t, err)
		docs, err := flushDocs(t, e, &out)
		require.NoError(t, err)
		require.Len(t, docs, 1)
		for name, unit := range map[string]string{
			"faas_invocations_total": "Count", "faas_invoke_duration_seconds": "Seconds", "faas_request_size_bytes": "Bytes",
			"faas_memory_utilization_ratio": "None", "faas_invocation_status_total": "Count",
			"faas_estimated_cost_usd_total": "None", "faas_billed_gb_seconds_total": "None", "faas_mem_usage_bytes": "Bytes",
		} {
			require.Equal(t, unit, docs[0].Units[name], name)
		}
		require.NoError(t, e.Shutdown(t.Context()))
	})
	t.Run("from the name's suffix", unitsFromNames)
}

func unitsFromNames(t *testing.T) {
	reg := prometheus.NewRegistry()
	for _, name := range []string{"a_seconds", "b_seconds_total", "c_bytes", "d_total", "e_percent", "f_ratio", "g_things"} {
		g := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: "h"})
		reg.MustRegister(g)
		g.Inc()
	}
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "h_seconds", Help: "h"})
	reg.MustRegister(h)
	h.Observe(1)
	var out bytes.Buffer
	e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock))
	require.NoError(t, err)
	docs, err := flushDocs(t, e, &out)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	require.Equal(t, map[string]string{
		"a_seconds": "Seconds", "b_seconds_total": "Seconds", "c_bytes": "Bytes", "d_total": "Count",
		"e_percent": "Percent", "f_ratio": "None", "g_things": "None", "h_seconds": "Seconds",
	}, docs[0].Units)
	require.NoError(t, e.Shutdown(t.Context()))
}

func TestLimits(t *testing.T) {
	t.Run("at most 100 metrics a directive, all in one document", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		for i := range 250 {
			c := prometheus.NewCounter(prometheus.CounterOpts{Name: fmt.Sprintf("m%03d_total", i), Help: "h"})
			reg.MustRegister(c)
			c.Add(float64(i + 1))
		}
		var out bytes.Buffer
		e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock))
		require.NoError(t, err)
		docs, err := flushDocs(t, e, &out)
		require.NoError(t, err)
		require.Len(t, docs, 1)
		require.Len(t, docs[0].Dimensions, 3, "three directives of the same dimensions: 100, 100, 50")
		got := values(docs)
		require.Len(t, got, 250)
		var total float64
		for _, v := range got {
			total += v
		}
		require.InDelta(t, 250*251/2, total, 0, "every metric written once")
	})
	t.Run("more than 30 dimensions are dropped, counted and reported", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		labels := make([]string, 31)
		vals := make([]string, 31)
		for i := range labels {
			labels[i], vals[i] = fmt.Sprintf("l%02d", i), "v"
		}
		wide := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wide_total", Help: "h"}, labels)
		ok := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ok_total", Help: "h"}, labels[:30])
		reg.MustRegister(wide, ok)
		wide.WithLabelValues(vals...).Inc()
		ok.WithLabelValues(vals[:30]...).Inc()
		drops := &dropRecorder{n: map[string]int{}}
		var out bytes.Buffer
		e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock), emf.WithDropCounter(drops))
		require.NoError(t, err)
		docs, err := flushDocs(t, e, &out)
		require.ErrorIs(t, err, emf.ErrTooManyDimensions)
		require.ErrorContains(t, err, "wide_total")
		require.Len(t, docs, 1)
		require.Contains(t, docs[0].Values, "ok_total")
		require.Len(t, docs[0].Dimensions[0], 30)
		require.Equal(t, map[string]int{"emf/metrics": 1}, drops.n)
	})
	t.Run("NaN and infinite values are dropped and counted", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		for name, v := range map[string]float64{"nan": math.NaN(), "inf": math.Inf(1), "fine": 1} {
			g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: "h"})
			reg.MustRegister(g)
			g.Set(v)
		}
		drops := &dropRecorder{n: map[string]int{}}
		var out bytes.Buffer
		e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock), emf.WithDropCounter(drops))
		require.NoError(t, err)
		docs, err := flushDocs(t, e, &out)
		require.NoError(t, err)
		require.Equal(t, map[string]float64{"fine{}": 1}, values(docs))
		require.Equal(t, map[string]int{"emf/metrics": 2}, drops.n)
	})
	t.Run("a label named like a metric of its document", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		a := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "a_total", Help: "h"}, []string{"b_total"})
		b := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "b_total", Help: "h"}, []string{"b_total"})
		reg.MustRegister(a, b)
		a.WithLabelValues("x").Inc()
		b.WithLabelValues("x").Inc()
		drops := &dropRecorder{n: map[string]int{}}
		var out bytes.Buffer
		e, err := emf.New(gathered(reg), emf.WithWriter(&out), emf.WithClock(clock), emf.WithDropCounter(drops))
		require.NoError(t, err)
		docs, err := flushDocs(t, e, &out)
		require.NoError(t, err)
		require.Equal(t, map[string]float64{"a_total{b_total=x}": 1}, values(docs))
		require.Equal(t, map[string]int{"emf/metrics": 1}, drops.n)
	})
}
