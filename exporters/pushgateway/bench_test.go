package pushgateway_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/pushgateway"
	"github.com/lumen-rt/lumen/internal/promtest"
)

// benchRegistry is shaped like a function's registry: invocation and error
// counters, a cold-start counter, and two histograms with the default
// buckets, one of them also with native buckets (31 classic series).
func benchRegistry() *prometheus.Registry {
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

func benchmarkFlush(b *testing.B, url string) {
	b.Setenv("LUMEN_PUSHGATEWAY_URL", url)
	e, err := pushgateway.New(benchRegistry(), pushgateway.WithJob("bench"), pushgateway.WithInstance("env1"))
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.ForceFlush(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.NoError(b, e.Shutdown(b.Context()))
}

// BenchmarkForceFlush measures one push (gather, encode, PUT) against a
// loopback fake that reads the body and answers 200.
func BenchmarkForceFlush(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusAccepted)
		}
	}))
	defer srv.Close()
	benchmarkFlush(b, srv.URL)
}

// BenchmarkForceFlushRealPushgateway measures one push to Debian's
// prometheus-pushgateway on loopback.
func BenchmarkForceFlushRealPushgateway(b *testing.B) {
	if testing.Short() {
		b.Skip("starts the Pushgateway")
	}
	benchmarkFlush(b, promtest.StartPushgateway(b))
}
