package otlpmetric_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
)

func benchmarkFlush(b *testing.B, url string) {
	lambdaEnv(b, nil)
	e, err := otlpmetric.New(b.Context(), exportertest.BenchRegistry(), otlpmetric.WithInstance("env1"),
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
