package promhttp_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/exporters/promhttp"
	"github.com/lumen-rt/lumen/metrics"
)

func get(t *testing.T, url string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b), resp.Header
}

func TestServe(t *testing.T) {
	rec, err := metrics.New(metrics.WithFunctionName("local"), metrics.WithMaxMemory(0))
	require.NoError(t, err)
	rec.InvocationStarted()
	rec.RecordInvocation(metrics.InvocationResult{Trigger: metrics.TriggerHTTP})

	tests := []struct {
		name       string
		opts       []promhttp.Option
		path       string
		accept     string
		wantStatus int
		wantBody   string
		wantType   string
	}{
		{name: "text", path: "/metrics", wantStatus: 200, wantType: "text/plain",
			wantBody: `faas_invocations_total{faas_name="local",faas_trigger="http"} 1`},
		{name: "openmetrics", path: "/metrics", accept: "application/openmetrics-text; version=1.0.0",
			wantStatus: 200, wantType: "application/openmetrics-text", wantBody: "# EOF"},
		{name: "protobuf for native histograms", path: "/metrics",
			accept:     "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
			wantStatus: 200, wantType: "application/vnd.google.protobuf"},
		{name: "other path", path: "/", wantStatus: 404},
		{name: "custom path", opts: []promhttp.Option{promhttp.WithPath("/m")}, path: "/m", wantStatus: 200,
			wantBody: "faas_inflight_invocations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := promhttp.New(rec.Gatherer(), "127.0.0.1:0", tt.opts...)
			require.NoError(t, err)
			require.NoError(t, srv.Start(t.Context()))
			t.Cleanup(func() { require.NoError(t, srv.Shutdown(context.Background())) })

			status, body, h := get(t, "http://"+srv.Addr()+tt.path, "Accept", tt.accept)
			require.Equal(t, tt.wantStatus, status)
			require.Contains(t, body, tt.wantBody)
			require.Contains(t, h.Get("Content-Type"), tt.wantType)
		})
	}
}

func TestLifecycle(t *testing.T) {
	reg := prometheus.NewRegistry()
	srv, err := promhttp.New(reg, "127.0.0.1:0")
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:0", srv.Addr())
	require.NoError(t, srv.Start(t.Context()))
	require.NotEqual(t, "127.0.0.1:0", srv.Addr(), "the chosen port is reported")
	require.ErrorIs(t, srv.Start(t.Context()), promhttp.ErrStarted)

	// The port is taken while the server runs.
	other, err := promhttp.New(reg, srv.Addr())
	require.NoError(t, err)
	require.Error(t, other.Start(t.Context()))

	require.NoError(t, srv.Shutdown(t.Context()))
	require.NoError(t, srv.Shutdown(t.Context()), "idempotent")
	require.ErrorIs(t, srv.Start(t.Context()), promhttp.ErrShutdown)
	_, err = net.Dial("tcp", srv.Addr())
	require.Error(t, err, "no longer listening")

	unstarted, err := promhttp.New(reg, "")
	require.NoError(t, err)
	require.Equal(t, promhttp.DefaultAddr, unstarted.Addr())
	require.NoError(t, unstarted.Shutdown(t.Context()), "shutdown before start")
}

func TestStartHonoursContext(t *testing.T) {
	srv, err := promhttp.New(prometheus.NewRegistry(), "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, srv.Start(ctx), context.Canceled)
}

func TestNewInvalid(t *testing.T) {
	tests := []struct {
		name string
		g    prometheus.Gatherer
		addr string
		opts []promhttp.Option
	}{
		{"nil gatherer", nil, "", nil},
		{"address without port", prometheus.NewRegistry(), "localhost", nil},
		{"relative path", prometheus.NewRegistry(), "", []promhttp.Option{promhttp.WithPath("metrics")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := promhttp.New(tt.g, tt.addr, tt.opts...)
			require.ErrorIs(t, err, promhttp.ErrInvalidOption)
			require.Nil(t, s)
		})
	}
}

// blockingGatherer blocks each Gather until release is closed.
type blockingGatherer struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (g *blockingGatherer) Gather() ([]*dto.MetricFamily, error) {
	g.once.Do(func() { close(g.entered) })
	<-g.release
	return nil, nil
}

func TestShutdownBoundedByContext(t *testing.T) {
	g := &blockingGatherer{entered: make(chan struct{}), release: make(chan struct{})}
	srv, err := promhttp.New(g, "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, srv.Start(t.Context()))

	scraped := make(chan error, 1)
	go func() {
		resp, err := http.Get(srv.URL())
		if err == nil {
			resp.Body.Close()
		}
		scraped <- err
	}()
	<-g.entered
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = srv.Shutdown(ctx)
	require.ErrorIs(t, err, context.Canceled, "a stuck scrape does not hold shutdown past its context")
	close(g.release)
	<-scraped
}

func TestGatherErrorsReported(t *testing.T) {
	var mu sync.Mutex
	var reported []error
	reg := prometheus.NewRegistry()
	ok := prometheus.NewCounter(prometheus.CounterOpts{Name: "ok_total", Help: "h"})
	reg.MustRegister(ok)
	failing := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) { return nil, errors.New("collector broke") })
	srv, err := promhttp.New(prometheus.Gatherers{reg, failing}, "127.0.0.1:0",
		promhttp.WithErrorHandler(func(err error) {
			mu.Lock()
			defer mu.Unlock()
			reported = append(reported, err)
		}))
	require.NoError(t, err)
	require.NoError(t, srv.Start(t.Context()))
	defer func() { require.NoError(t, srv.Shutdown(t.Context())) }()

	status, body, _ := get(t, srv.URL())
	require.Equal(t, 200, status, "what could be gathered is served")
	require.Contains(t, body, "ok_total 0")
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, reported, 1)
	require.True(t, strings.Contains(reported[0].Error(), "collector broke"), reported[0])
}
