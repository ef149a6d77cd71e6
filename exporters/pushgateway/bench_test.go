package pushgateway_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/pushgateway"
	"github.com/lumen-rt/lumen/internal/promtest"
)

func benchmarkFlush(b *testing.B, url string) {
	b.Setenv("LUMEN_PUSHGATEWAY_URL", url)
	e, err := pushgateway.New(exportertest.BenchRegistry(), pushgateway.WithJob("bench"), pushgateway.WithInstance("env1"))
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
