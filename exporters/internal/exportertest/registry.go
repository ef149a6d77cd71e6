package exportertest

import "github.com/prometheus/client_golang/prometheus"

// Registry is a small registry shaped like a function's metrics:
// invocations by result (2 series, "success" and "error"), a duration
// histogram with 3 buckets (+Inf, _sum and _count: 6 series as Prometheus
// stores them, one OTLP data point) and a memory gauge.
type Registry struct {
	*prometheus.Registry
	Invocations *prometheus.CounterVec
	Duration    prometheus.Histogram
	Memory      prometheus.Gauge
}

// What a [Registry] exposes.
const (
	// RegistrySeries is its number of series as Prometheus stores them.
	RegistrySeries = 2 + 6 + 1
	// RegistryPoints is its number of OTLP data points.
	RegistryPoints = 2 + 1 + 1
)

// NewRegistry returns a Registry with both invocation results at zero.
func NewRegistry() *Registry {
	r := &Registry{
		Registry: prometheus.NewRegistry(),
		Invocations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lumen_test_invocations_total", Help: "Invocations by result.",
		}, []string{"result"}),
		Duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "lumen_test_duration_seconds", Help: "Handler duration.", Buckets: []float64{0.01, 0.1, 1},
		}),
		Memory: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lumen_test_memory_bytes", Help: "Memory in use."}),
	}
	r.MustRegister(r.Invocations, r.Duration, r.Memory)
	r.Invocations.WithLabelValues("success")
	r.Invocations.WithLabelValues("error")
	return r
}

// Invoke records n invocations, every errEvery-th an error (0: none), with
// durations of 0, 50 and 100 ms in turn.
func (r *Registry) Invoke(n, errEvery int) {
	for i := 1; i <= n; i++ {
		result := "success"
		if errEvery > 0 && i%errEvery == 0 {
			result = "error"
		}
		r.Invocations.WithLabelValues(result).Inc()
		r.Duration.Observe(float64(i%3) * 0.05)
	}
}

// BenchRegistry returns a registry shaped like a busy function's:
// invocation and error counters, a cold-start counter, and two histograms
// with the default buckets, one of them also with native buckets. That is
// 31 series as Prometheus stores them, and 5 OTLP data points (the native
// histogram sent as an exponential histogram).
func BenchRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	inv := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faas_invocations_total", Help: "h"}, []string{"trigger"})
	errs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faas_errors_total", Help: "h"}, []string{"trigger", "error_type"})
	cold := prometheus.NewCounter(prometheus.CounterOpts{Name: "faas_coldstarts_total", Help: "h"})
	dur := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "faas_invoke_duration_seconds", Help: "h", Buckets: prometheus.DefBuckets,
		NativeHistogramBucketFactor: 1.1, NativeHistogramMaxBucketNumber: 160,
	}, []string{"trigger"})
	initDur := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "faas_init_duration_seconds", Help: "h", Buckets: prometheus.DefBuckets})
	reg.MustRegister(inv, errs, cold, dur, initDur)
	for i := range 100 {
		inv.WithLabelValues("http").Inc()
		dur.WithLabelValues("http").Observe(float64(i) / 100)
	}
	errs.WithLabelValues("http", "Timeout").Inc()
	cold.Inc()
	initDur.Observe(0.08)
	return reg
}
