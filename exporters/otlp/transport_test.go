package otlp_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/internal/collector"
)

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

// TestAnswers checks how every kind of answer is reported for every signal:
// the typed error, whether it is retryable, Retry-After, and what is
// counted as dropped.
func TestAnswers(t *testing.T) {
	date := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		answer     answer
		wantIs     error
		retryable  bool
		retryAfter time.Duration // 0: none; otherwise a lower bound
		dropped    bool          // spans and metric points counted as dropped
		rejected   int           // for a partial success: the items counted
	}{
		{name: "bad request", answer: answer{status: http.StatusBadRequest, contentType: "application/x-protobuf",
			body: mustMarshal(t, &status.Status{Code: 3, Message: "invalid span id"})}, wantIs: otlp.ErrStatus, dropped: true},
		{name: "unauthorized", answer: answer{status: http.StatusUnauthorized, body: []byte("no token")}, wantIs: otlp.ErrStatus, dropped: true},
		{name: "internal error", answer: answer{status: http.StatusInternalServerError}, wantIs: otlp.ErrStatus, dropped: true},
		{name: "too many requests", answer: answer{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "7"}},
			wantIs: otlp.ErrStatus, retryable: true, retryAfter: 7 * time.Second, dropped: true},
		{name: "unavailable with date", answer: answer{status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": date}},
			wantIs: otlp.ErrStatus, retryable: true, retryAfter: 58 * time.Minute, dropped: true},
		{name: "bad gateway", answer: answer{status: http.StatusBadGateway}, wantIs: otlp.ErrStatus, retryable: true, dropped: true},
		{name: "gateway timeout", answer: answer{status: http.StatusGatewayTimeout, header: map[string]string{"Retry-After": "soon"}},
			wantIs: otlp.ErrStatus, retryable: true, dropped: true},
		{name: "garbage 200", answer: answer{status: http.StatusOK, contentType: "text/html", body: []byte("<html>welcome</html>")},
			wantIs: otlp.ErrMalformedResponse, dropped: true},
		{name: "partial success", answer: answer{status: http.StatusOK, contentType: "application/x-protobuf",
			body: mustMarshal(t, &coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{
				RejectedSpans: 1, ErrorMessage: "one too old"}})}, wantIs: otlp.ErrRejected, rejected: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScripted(t, tt.answer)
			var drops exportertest.Drops
			tr := newTrio(t, otlp.WithEndpoint(srv.URL), otlp.WithDropCounter(&drops))

			spanErr := tr.spans.ExportSpans(t.Context(), spans(2))
			metricErr := tr.metrics.ForceFlush(t.Context())
			slog.New(tr.logs.Handler()).Info("hello")
			slog.New(tr.logs.Handler()).Info("again")
			logErr := tr.logs.ForceFlush(t.Context())
			require.Equal(t, 3, srv.requests(), "one request per signal, no retry")

			for signal, err := range map[string]error{
				exporters.SignalTraces: spanErr, exporters.SignalMetrics: metricErr, exporters.SignalLogs: logErr,
			} {
				var e *otlp.ExportError
				require.ErrorAs(t, err, &e, signal)
				require.ErrorIs(t, err, tt.wantIs, signal)
				require.Equal(t, signal, e.Signal)
				require.Equal(t, tt.answer.status, e.StatusCode)
				require.Equal(t, tt.retryable, e.Retryable(), signal)
				if tt.retryAfter > 0 {
					require.GreaterOrEqual(t, e.RetryAfter(), tt.retryAfter, signal)
				} else {
					require.Zero(t, e.RetryAfter(), signal)
				}
			}
			want := map[string]int{}
			switch {
			case tt.rejected > 0:
				want["otlp/traces"], want["otlp/metrics"], want["otlp/logs"] = tt.rejected, tt.rejected, tt.rejected
			case tt.dropped && !tt.retryable:
				want["otlp/traces"], want["otlp/logs"], want["otlp/metrics"] = 2, 2, sourcePoints
			case tt.dropped:
				// A retryable failure loses nothing: log records stay in
				// the exporter, spans in the span processor in front of
				// it, and the next metrics flush carries the same totals.
			}
			items, _ := drops.Get()
			if len(want) == 0 {
				want = nil
			}
			require.Equal(t, want, items)
		})
	}
}

// TestErrorMessages checks that the backend's message reaches the error.
func TestErrorMessages(t *testing.T) {
	tests := []struct {
		name   string
		answer answer
		want   string
	}{
		{name: "status proto", answer: answer{status: 400, contentType: "application/x-protobuf",
			body: mustMarshal(t, &status.Status{Message: "invalid span id"})}, want: "400 Bad Request: invalid span id"},
		{name: "text", answer: answer{status: 401, body: []byte("no\ntoken")}, want: "401 Unauthorized: no token"},
		{name: "empty", answer: answer{status: 503, header: map[string]string{"Retry-After": "2"}}, want: "HTTP 503 (retry after 2s)"},
		{name: "partial", answer: answer{status: 200, body: mustMarshal(t, &coltracepb.ExportTraceServiceResponse{
			PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 1, ErrorMessage: "too old"}})},
			want: "export 1 traces items: HTTP 200: items rejected by the backend: too old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScripted(t, tt.answer)
			exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(srv.URL))
			require.NoError(t, err)
			require.ErrorContains(t, exp.ExportSpans(t.Context(), spans(1)), tt.want)
		})
	}
}

// TestUnreachable checks refused, blackholed and slow endpoints: each
// export returns a retryable error within its bounds, sends once, and
// counts no span lost: the span processor keeps them.
func TestUnreachable(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		var drops exportertest.Drops
		exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(exportertest.ClosedURL(t)), otlp.WithDropCounter(&drops))
		require.NoError(t, err)
		err = exp.ExportSpans(t.Context(), spans(3))
		var e *otlp.ExportError
		require.ErrorAs(t, err, &e)
		require.Zero(t, e.StatusCode)
		require.True(t, e.Retryable())
		require.ErrorContains(t, err, "connection refused")
		require.Zero(t, drops.Count(otlp.Name, exporters.SignalTraces), "kept by the span processor, not lost")
	})
	t.Run("blackhole bounded by ctx", func(t *testing.T) {
		hole := exportertest.NewBlackhole(t)
		exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(hole.URL))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- exp.ExportSpans(ctx, spans(1)) }()
		<-hole.Arrived
		cancel()
		err = <-done
		require.ErrorIs(t, err, context.Canceled)
		var e *otlp.ExportError
		require.ErrorAs(t, err, &e)
		require.True(t, e.Retryable())
		require.Empty(t, hole.Arrived, "no retry")
	})
	t.Run("slow answer bounded by the timeout", func(t *testing.T) {
		hole := exportertest.NewBlackhole(t)
		exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(hole.URL), otlp.WithTimeout(50*time.Millisecond))
		require.NoError(t, err)
		err = exp.ExportSpans(t.Context(), spans(1))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Len(t, hole.Arrived, 1, "sent once")
	})
}

// TestRequests checks what every request carries: the signal's path under
// a base URL or a signal URL as is, the content type, custom headers, and
// a gzipped body that the receiver decodes.
func TestRequests(t *testing.T) {
	for _, comp := range []otlp.Compression{otlp.CompressionNone, otlp.CompressionGzip} {
		t.Run(string(comp), func(t *testing.T) {
			sink := collector.NewSink(t)
			tr := newTrio(t, otlp.WithEndpoint(sink.URL()+"/"), otlp.WithCompression(comp),
				otlp.WithHeaders(map[string]string{"Authorization": "Bearer t0k"}), otlp.WithResource(testResource))
			require.NoError(t, tr.spans.ExportSpans(t.Context(), spans(2)))
			require.NoError(t, tr.metrics.ForceFlush(t.Context()))
			slog.New(tr.logs.Handler()).Info("hello")
			require.NoError(t, tr.logs.ForceFlush(t.Context()))
			require.Len(t, sink.Spans(), 2)
			require.Len(t, sink.Metrics(), 3)
			require.Len(t, sink.LogRecords(), 1)
			require.Empty(t, sink.Errors())
		})
	}

	srv := newScripted(t, answer{status: 200})
	base := newTrio(t, otlp.WithEndpoint(srv.URL+"/prefix"), otlp.WithHeaders(map[string]string{"X-Tenant": "acme"}),
		otlp.WithCompression(otlp.CompressionGzip))
	require.NoError(t, base.spans.ExportSpans(t.Context(), spans(1)))
	require.NoError(t, base.metrics.ForceFlush(t.Context()))
	slog.New(base.logs.Handler()).Info("hello")
	require.NoError(t, base.logs.ForceFlush(t.Context()))
	exact, err := otlp.NewSpanExporter(otlp.WithEndpoint("http://ignored:1"), otlp.WithSignalURL(srv.URL+"/custom/traces"))
	require.NoError(t, err)
	require.NoError(t, exact.ExportSpans(t.Context(), spans(1)))

	srv.mu.Lock()
	defer srv.mu.Unlock()
	require.Equal(t, []string{"/prefix/v1/traces", "/prefix/v1/metrics", "/prefix/v1/logs", "/custom/traces"}, srv.paths)
	for _, h := range srv.headers[:3] {
		require.Equal(t, "application/x-protobuf", h.Get("Content-Type"))
		require.Equal(t, "gzip", h.Get("Content-Encoding"))
		require.Equal(t, "acme", h.Get("X-Tenant"))
		require.Equal(t, "lumen-otlp", h.Get("User-Agent"))
	}
	require.Empty(t, srv.headers[3].Get("Content-Encoding"))
}

// TestKeepAlive checks that the three signals share kept-alive
// connections: many flushes, few connections.
func TestKeepAlive(t *testing.T) {
	conns := make(chan struct{}, 100)
	// Count the connections the receiver accepts.
	srv := newScriptedWith(t, answer{status: 200}, func(s *http.Server) {
		s.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns <- struct{}{}
			}
		}
	})
	tr := newTrio(t, otlp.WithEndpoint(srv.URL))
	for range 10 {
		require.NoError(t, tr.spans.ExportSpans(t.Context(), spans(1)))
		require.NoError(t, tr.metrics.ForceFlush(t.Context()))
		slog.New(tr.logs.Handler()).Info("hello")
		require.NoError(t, tr.logs.ForceFlush(t.Context()))
	}
	require.Equal(t, 30, srv.requests())
	require.LessOrEqual(t, len(conns), 3, "connections are reused")
}

// TestConfigErrors checks that bad options are clear errors.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		opts []otlp.Option
		want string
	}{
		{name: "scheme", opts: []otlp.Option{otlp.WithEndpoint("collector:4318")}, want: "want http(s)://host"},
		{name: "no host", opts: []otlp.Option{otlp.WithSignalURL("http:///v1/traces")}, want: "want http(s)://host"},
		{name: "unparsable", opts: []otlp.Option{otlp.WithEndpoint("http://a b/%zz")}, want: "endpoint"},
		{name: "compression", opts: []otlp.Option{otlp.WithCompression("zstd")}, want: `compression "zstd"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := otlp.NewSpanExporter(tt.opts...)
			require.ErrorIs(t, err, otlp.ErrInvalidConfig)
			require.ErrorContains(t, err, tt.want)
			_, err = otlp.NewLogExporter(tt.opts...)
			require.ErrorIs(t, err, otlp.ErrInvalidConfig)
			_, err = otlp.NewMetricExporter(newSource(), tt.opts...)
			require.ErrorIs(t, err, otlp.ErrInvalidConfig)
		})
	}
	_, err := otlp.NewMetricExporter(nil)
	require.ErrorIs(t, err, otlp.ErrInvalidConfig)
	_, err = otlp.NewMetricExporter(newSource(), otlp.WithTemporality(9))
	require.ErrorIs(t, err, otlp.ErrInvalidConfig)
}

// TestParse checks the parsers the telemetry package uses for the
// environment's values.
func TestParse(t *testing.T) {
	for in, want := range map[string]otlp.Compression{"": otlp.CompressionNone, "none": otlp.CompressionNone, " GZIP ": otlp.CompressionGzip} {
		got, err := otlp.ParseCompression(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	_, err := otlp.ParseCompression("br")
	require.ErrorIs(t, err, otlp.ErrInvalidConfig)
	for in, want := range map[string]otlp.Temporality{
		"": otlp.TemporalityCumulative, "Cumulative": otlp.TemporalityCumulative, "DELTA": otlp.TemporalityDelta, "lowmemory": otlp.TemporalityLowMemory,
	} {
		got, err := otlp.ParseTemporality(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
		if in != "" {
			require.Equal(t, want, must(otlp.ParseTemporality(got.String())))
		}
	}
	_, err = otlp.ParseTemporality("sometimes")
	require.ErrorIs(t, err, otlp.ErrInvalidConfig)
	require.True(t, errors.Is(err, otlp.ErrInvalidConfig))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
