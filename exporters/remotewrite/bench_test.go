package remotewrite

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/internal/promtest"
)

func benchmarkFlush(b *testing.B, url string) {
	lambdaEnv(b, nil)
	e, err := New(exportertest.BenchRegistry(), WithURL(url), WithJob("bench"), WithInstance("env1"), WithoutStaleMarkers())
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

// BenchmarkForceFlush measures one write (gather, convert, encode, snappy,
// POST) against a loopback fake that reads the body and answers 204.
func BenchmarkForceFlush(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	benchmarkFlush(b, srv.URL)
}

// BenchmarkForceFlushRealPrometheus measures one write into Debian's
// Prometheus 2.42 remote write receiver on loopback.
func BenchmarkForceFlushRealPrometheus(b *testing.B) {
	if testing.Short() {
		b.Skip("starts Prometheus")
	}
	benchmarkFlush(b, promtest.StartPrometheus(b, "")+"/api/v1/write")
}

// BenchmarkEncode measures converting and encoding the request alone.
func BenchmarkEncode(b *testing.B) {
	reg := exportertest.BenchRegistry()
	bt := newBatch(map[string]string{"job": "bench", "instance": "env1"})
	var w writeRequest
	b.ReportAllocs()
	for b.Loop() {
		mfs, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		bt.reset()
		bt.add(mfs)
		w.encode(bt, 1_800_000_000_000, false)
	}
	b.ReportMetric(float64(len(bt.series)), "series")
	b.ReportMetric(float64(len(w.buf)), "bytes/request")
}
