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
