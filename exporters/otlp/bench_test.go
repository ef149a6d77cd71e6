package otlp_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/internal/otlpwire"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/exporters/otlplog"
	"github.com/lumen-rt/lumen/exporters/otlpmetric"
	"github.com/lumen-rt/lumen/invocation"
)

// The benchmarks compare, per signal, Lumen's built-in exporter
// (impl=lumen) with the OpenTelemetry SDK path Lumen used before
// (impl=sdk: otlptracehttp, exporters/otlplog over the log SDK and
// otlploghttp, exporters/otlpmetric over the Prometheus bridge and
// otlpmetrichttp), on one invocation's telemetry, flushed once per op:
//
//   - path=nonet: through an http.RoundTripper that reads the request and
//     answers 200 at once: encoding, request building and compression,
//     without the network;
//   - path=loopback: to an OTLP receiver on 127.0.0.1.
//
// Run: go test -run XXX -bench Export -benchtime=2000x -count=6 | benchstat -col /impl -

// discard is a RoundTripper that consumes the request and answers 200.
type discard struct{}

func (discard) RoundTrip(r *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, r.Body)
	_ = r.Body.Close()
	return &http.Response{StatusCode: 200, Status: "200 OK", Body: http.NoBody, Request: r,
		Header: http.Header{"Content-Type": {"application/x-protobuf"}}}, nil
}

// loopback starts an OTLP receiver that reads each request and answers an
// empty response.
func loopback(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	b.Cleanup(srv.Close)
	return srv
}

// paths returns the two ways to send: a client and the base URL.
func paths(b *testing.B) []struct {
	name   string
	client *http.Client
	url    string
} {
	srv := loopback(b)
	return []struct {
		name   string
		client *http.Client
		url    string
	}{
		{"nonet", &http.Client{Transport: discard{}}, "http://127.0.0.1:1"},
		{"loopback", srv.Client(), srv.URL},
	}
}

// invocationSpans are one invocation's spans as Lumen records them: the
// invocation span and its receive, handle and post phases.
func invocationSpans() []sdktrace.ReadOnlySpan {
	scope := instrumentation.Scope{Name: "github.com/lumen-rt/lumen/runtime", Version: "v0.1.0"}
	parent := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: 1})
	attrs := []attribute.KeyValue{
		attribute.String("faas.invocation_id", "00000000-0000-4000-8000-000000000001"),
		attribute.String("faas.trigger", "http"),
		attribute.Bool("faas.coldstart", false),
		attribute.String("cloud.resource_id", "arn:aws:lambda:us-east-1:123456789012:function:bench"),
		attribute.String("cloud.account.id", "123456789012"),
	}
	start := time.Unix(1_700_000_000, 0)
	stubs := tracetest.SpanStubs{{Name: "bench", SpanContext: parent, SpanKind: trace.SpanKindServer, Attributes: attrs,
		StartTime: start, EndTime: start.Add(3 * time.Millisecond), Resource: testResource, InstrumentationScope: scope}}
	for i, name := range []string{"lumen.receive", "lumen.handle", "lumen.post"} {
		stubs = append(stubs, tracetest.SpanStub{Name: name, Parent: parent, Resource: testResource, InstrumentationScope: scope,
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{byte(i + 2)}, TraceFlags: 1}),
			StartTime:   start, EndTime: start.Add(time.Millisecond)})
	}
	return stubs.Snapshots()
}

// benchSource mirrors exportertest.BenchRegistry as the Recorder's series:
// invocations, errors, cold starts, and two histograms with the default
// buckets.
func benchSource() *source {
	defCounts := make([]uint64, len(prometheus.DefBuckets)+1)
	defCounts[3], defCounts[5] = 60, 40
	http := []exporters.Label{{Name: "faas_trigger", Key: "faas.trigger", Value: "http"}}
	start := time.Unix(1_700_000_000, 0)
	return &source{series: []exporters.Series{
		{ID: 0, Name: "faas_invocations_total", OTelName: "faas.invocations", Help: "h", Kind: exporters.KindCounter, Labels: http, Start: start, Value: 100},
		{ID: 1, Name: "faas_errors_total", OTelName: "faas.errors", Help: "h", Kind: exporters.KindCounter, Start: start, Value: 1,
			Labels: []exporters.Label{http[0], {Name: "error_type", Key: "error.type", Value: "Timeout"}}},
		{ID: 2, Name: "faas_coldstarts_total", OTelName: "faas.coldstarts", Help: "h", Kind: exporters.KindCounter, Start: start, Value: 1},
		{ID: 3, Name: "faas_invoke_duration_seconds", OTelName: "faas.invoke_duration", Unit: "s", Help: "h", Kind: exporters.KindHistogram,
			Labels: http, Start: start, Count: 100, Sum: 49.5, Bounds: prometheus.DefBuckets, Counts: defCounts},
		{ID: 4, Name: "faas_init_duration_seconds", OTelName: "faas.init_duration", Unit: "s", Help: "h", Kind: exporters.KindHistogram,
			Start: start, Count: 1, Sum: 0.08, Bounds: prometheus.DefBuckets, Counts: defCounts},
	}}
}

// invocationContext is a handler's context: the invocation and its span.
func invocationContext() context.Context {
	info := &invocation.Info{TraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}
	info.Lambda.AwsRequestID = "00000000-0000-4000-8000-000000000001"
	info.Lambda.InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: 1})
	return trace.ContextWithSpanContext(invocation.NewContext(context.Background(), info), sc)
}

// logInvocation logs an invocation's five records.
func logInvocation(ctx context.Context, log *slog.Logger) {
	for range 5 {
		log.LogAttrs(ctx, slog.LevelInfo, "charged", slog.Int("amount", 42), slog.String("currency", "EUR"), slog.Bool("ok", true))
	}
}

func BenchmarkExport(b *testing.B) {
	b.Setenv("AWS_LAMBDA_LOG_LEVEL", "")
	spans := invocationSpans()
	for _, p := range paths(b) {
		b.Run("signal=traces/path="+p.name+"/impl=lumen", func(b *testing.B) {
			exp, err := otlp.NewSpanExporter(otlp.WithEndpoint(p.url), otlp.WithHTTPClient(p.client))
			must(exp, err)
			loop(b, func() error { return exp.ExportSpans(b.Context(), spans) })
		})
		b.Run("signal=traces/path="+p.name+"/impl=sdk", func(b *testing.B) {
			exp, err := otlptracehttp.New(b.Context(), otlptracehttp.WithEndpointURL(p.url+"/v1/traces"), otlptracehttp.WithHTTPClient(p.client))
			must(exp, err)
			loop(b, func() error { return exp.ExportSpans(b.Context(), spans) })
			_ = exp.Shutdown(context.Background())
		})
		b.Run("signal=metrics/path="+p.name+"/impl=lumen", func(b *testing.B) {
			exp, err := otlp.NewMetricExporter(benchSource(), otlp.WithEndpoint(p.url), otlp.WithHTTPClient(p.client), otlp.WithResource(testResource))
			must(exp, err)
			loop(b, func() error { return exp.ForceFlush(b.Context()) })
		})
		b.Run("signal=metrics/path="+p.name+"/impl=sdk", func(b *testing.B) {
			exp, err := otlpmetric.New(b.Context(), exportertest.BenchRegistry(), otlpmetric.WithInstance("env1"), otlpmetric.WithResource(testResource),
				otlpmetric.WithHTTPOptions(otlpmetrichttp.WithEndpointURL(p.url+"/v1/metrics"), otlpmetrichttp.WithHTTPClient(p.client)))
			must(exp, err)
			loop(b, func() error { return exp.ForceFlush(b.Context()) })
			_ = exp.Shutdown(context.Background())
		})
		ctx := invocationContext()
		b.Run("signal=logs/path="+p.name+"/impl=lumen", func(b *testing.B) {
			exp, err := otlp.NewLogExporter(otlp.WithEndpoint(p.url), otlp.WithHTTPClient(p.client), otlp.WithResource(testResource))
			must(exp, err)
			log := slog.New(exp.Handler())
			loop(b, func() error { logInvocation(ctx, log); return exp.ForceFlush(b.Context()) })
		})
		b.Run("signal=logs/path="+p.name+"/impl=sdk", func(b *testing.B) {
			httpExp, err := otlploghttp.New(b.Context(), otlploghttp.WithEndpointURL(p.url+"/v1/logs"), otlploghttp.WithHTTPClient(p.client))
			must(httpExp, err)
			exp, err := otlplog.New(b.Context(), otlplog.WithExporter(httpExp), otlplog.WithResource(testResource))
			must(exp, err)
			log := slog.New(exp.Handler())
			loop(b, func() error { logInvocation(ctx, log); return exp.ForceFlush(b.Context()) })
			_ = exp.Shutdown(context.Background())
		})
	}
}

// loop runs op once per iteration and fails on its first error.
func loop(b *testing.B, op func() error) {
	b.ReportAllocs()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode measures the built-in encoders alone, per op one
// invocation's spans, the metrics, or one log record (Handle).
func BenchmarkEncode(b *testing.B) {
	b.Run("signal=traces", func(b *testing.B) {
		spans := invocationSpans()
		enc := otlpwire.NewTraces(testResource)
		var buf []byte
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = enc.Append(buf[:0], spans)
		}
		b.ReportMetric(float64(len(buf)), "bytes/req")
	})
	b.Run("signal=metrics", func(b *testing.B) {
		src := benchSource()
		enc := otlpwire.NewMetrics(testResource, otlp.MetricsScope, false)
		var buf []byte
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = enc.Append(buf[:0], src, time.Unix(1_700_000_060, 0))
		}
		b.ReportMetric(float64(len(buf)), "bytes/req")
	})
}

// BenchmarkHandle measures logging one record, the flush (every 64
// records) untimed, with Lumen's handler and with the SDK path Lumen used
// before (the slog bridge, the log SDK's batch processor).
func BenchmarkHandle(b *testing.B) {
	b.Setenv("AWS_LAMBDA_LOG_LEVEL", "")
	client := &http.Client{Transport: discard{}}
	run := func(b *testing.B, h slog.Handler, flush func(context.Context) error) {
		log := slog.New(h)
		ctx := invocationContext()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			log.LogAttrs(ctx, slog.LevelInfo, "charged", slog.Int("amount", 42), slog.String("currency", "EUR"), slog.Bool("ok", true))
			if i%64 == 63 {
				b.StopTimer()
				_ = flush(b.Context())
				b.StartTimer()
			}
		}
	}
	b.Run("impl=lumen", func(b *testing.B) {
		exp, err := otlp.NewLogExporter(otlp.WithHTTPClient(client))
		must(exp, err)
		run(b, exp.Handler(), exp.ForceFlush)
	})
	b.Run("impl=sdk", func(b *testing.B) {
		httpExp, err := otlploghttp.New(b.Context(), otlploghttp.WithEndpointURL("http://127.0.0.1:1/v1/logs"), otlploghttp.WithHTTPClient(client))
		must(httpExp, err)
		exp, err := otlplog.New(b.Context(), otlplog.WithExporter(httpExp), otlplog.WithResource(testResource))
		must(exp, err)
		run(b, exp.Handler(), exp.ForceFlush)
		_ = exp.Shutdown(context.Background())
	})
}

// BenchmarkGzip compares the standard library's gzip, which the package
// uses (net/http links it anyway), with klauspost/compress's, on one
// flush of 20 log records.
func BenchmarkGzip(b *testing.B) {
	framer := otlpwire.NewLogs(testResource, instrumentation.Scope{Name: otlp.LogsScope})
	room := framer.HeadRoom()
	buf := make([]byte, room)
	for i := range 20 {
		rec := otlpwire.LogRecord{Time: uint64(i), Observed: uint64(i), Severity: 9, SeverityText: "INFO", Body: "charged the customer"}
		var start int
		buf, start = otlpwire.OpenLogRecord(buf, &rec)
		buf = otlpwire.AppendStringAttribute(buf, otlpwire.LogAttributes, "faas.invocation_id", "00000000-0000-4000-8000-000000000001")
		buf = otlpwire.AppendStringAttribute(buf, otlpwire.LogAttributes, "currency", "EUR")
		buf = otlpwire.Close(buf, start)
	}
	body := framer.Frame(buf, room)
	sw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	kw, _ := kgzip.NewWriterLevel(nil, kgzip.BestSpeed)
	b.Run("impl=stdlib", func(b *testing.B) { benchGzip(b, sw, body) })
	b.Run("impl=klauspost", func(b *testing.B) { benchGzip(b, kw, body) })
}

// gzipWriter is what the standard library's and klauspost's gzip writers
// share.
type gzipWriter interface {
	io.WriteCloser
	Reset(io.Writer)
}

// benchGzip compresses body with w, reset to a reused buffer each time.
func benchGzip(b *testing.B, w gzipWriter, body []byte) {
	var out bytes.Buffer
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		w.Reset(&out)
		_, _ = w.Write(body)
		_ = w.Close()
	}
	b.ReportMetric(float64(out.Len()), "gzipped-bytes")
}
