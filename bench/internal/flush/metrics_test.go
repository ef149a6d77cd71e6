package flush_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"

	"github.com/lumen-rt/lumen/exporters/emf"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/exporters/pushgateway"
	"github.com/lumen-rt/lumen/internal/promtest"
	"github.com/lumen-rt/lumen/metrics"
)

// flusher is what the runtime's flush point calls.
type flusher interface {
	ForceFlush(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

// flushMetrics records one invocation on rec and flushes exp, once per op.
func flushMetrics(b *testing.B, rec *metrics.Recorder, exp flusher) {
	b.Helper()
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		rec.InvocationStarted()
		rec.RecordInvocation(metrics.InvocationResult{
			Trigger: metrics.ParseTrigger("http"), Duration: 3 * time.Millisecond, RequestBytes: 512, ResponseBytes: 64,
		})
		if err := exp.ForceFlush(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.NoError(b, exp.Shutdown(context.WithoutCancel(ctx)))
}

// newRecorder returns a Recorder with or without the Go runtime and process
// collectors, as Start's defaults choose per exporter.
func newRecorder(b *testing.B, runtimeCollectors bool) *metrics.Recorder {
	b.Helper()
	rec, err := metrics.New(metrics.WithFunctionName("bench"), metrics.WithRuntimeCollectors(runtimeCollectors))
	require.NoError(b, err)
	return rec
}

// BenchmarkFlushEMF writes one invocation's metrics as CloudWatch EMF
// documents to io.Discard (Lumen's default: no Go runtime collectors), with
// native histograms (the Recorder's default) and without.
func BenchmarkFlushEMF(b *testing.B) {
	for _, native := range []bool{true, false} {
		b.Run(map[bool]string{true: "native", false: "classic"}[native], func(b *testing.B) {
			rec, err := metrics.New(metrics.WithFunctionName("bench"), metrics.WithRuntimeCollectors(false),
				metrics.WithNativeHistograms(native))
			require.NoError(b, err)
			exp, err := emf.New(rec, emf.WithWriter(io.Discard))
			require.NoError(b, err)
			flushMetrics(b, rec, exp)
		})
	}
}

// fakePushgateway accepts pushes on loopback and discards them.
func fakePushgateway(b *testing.B) (url string, pushes *atomic.Int64) {
	b.Helper()
	pushes = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		pushes.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv.URL, pushes
}

func benchmarkPushgateway(b *testing.B, url string, runtimeCollectors bool) {
	rec := newRecorder(b, runtimeCollectors)
	exp, err := pushgateway.New(rec.Gatherer(), pushgateway.WithURL(url), pushgateway.WithJob("bench"),
		pushgateway.WithInstance("bench-1"), pushgateway.WithoutDeleteOnShutdown())
	require.NoError(b, err)
	flushMetrics(b, rec, exp)
}

// BenchmarkFlushPushgateway pushes one invocation's metrics to a loopback
// fake Pushgateway, with and without the Go runtime collectors.
func BenchmarkFlushPushgateway(b *testing.B) {
	for _, rc := range []struct {
		name string
		on   bool
	}{{"go-collectors", true}, {"faas-only", false}} {
		b.Run(rc.name, func(b *testing.B) {
			url, pushes := fakePushgateway(b)
			benchmarkPushgateway(b, url, rc.on)
			if pushes.Load() == 0 {
				b.Fatal("the Pushgateway received no push")
			}
		})
	}
}

// BenchmarkFlushPushgatewayReal pushes to Debian's prometheus-pushgateway on
// loopback (skipped when it is not installed).
func BenchmarkFlushPushgatewayReal(b *testing.B) {
	benchmarkPushgateway(b, promtest.StartPushgateway(b), true)
}

// BenchmarkFlushOTLPMetrics sends one invocation's metrics over OTLP/HTTP to
// a loopback sink, with and without the Go runtime collectors.
func BenchmarkFlushOTLPMetrics(b *testing.B) {
	for _, rc := range []struct {
		name string
		on   bool
	}{{"go-collectors", true}, {"faas-only", false}} {
		b.Run(rc.name, func(b *testing.B) {
			url, requests := otlpSink(b)
			rec := newRecorder(b, rc.on)
			exp, err := otlpmetric.New(b.Context(), rec.Gatherer(),
				otlpmetric.WithHTTPOptions(otlpmetrichttp.WithEndpointURL(url+"/v1/metrics")))
			require.NoError(b, err)
			flushMetrics(b, rec, exp)
			if requests.Load() == 0 {
				b.Fatal("the sink received no export")
			}
		})
	}
}
