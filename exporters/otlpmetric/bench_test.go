package otlpmetric_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters/otlpmetric"
)

// benchRegistry is shaped like a function's registry: invocation and error
// counters, a cold-start counter, and two histograms with the default
// buckets, one of them also with native buckets (5 data points; the native
// one is sent as an exponential histogram).
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
	lambdaEnv(b, nil)
	e, err := otlpmetric.New(b.Context(), benchRegistry(), otlpmetric.WithInstance("env1"),
		otlpmetric.WithHTTPOptions(otlpmetrichttpEndpoint(url)))
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

// BenchmarkForceFlush measures one export (gather, bridge, OTLP protobuf,
// gzip off, POST) against a loopback fake that reads the body and answers.
func BenchmarkForceFlush(b *testing.B) {
	resp, err := proto.Marshal(&collectorpb.ExportMetricsServiceResponse{})
	require.NoError(b, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(resp)
	}))
	defer srv.Close()
	benchmarkFlush(b, srv.URL)
}

// BenchmarkForceFlushRealCollector measures one export into the real
// collector, which forwards to a loopback fake.
func BenchmarkForceFlushRealCollector(b *testing.B) {
	if testing.Short() {
		b.Skip("starts the OpenTelemetry Collector")
	}
	down := newFakeCollector(b, http.StatusOK)
	benchmarkFlush(b, startCollector(b, down.URL))
}
