package runtime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
	"github.com/lumen-rt/lumen/tracing"
)

// payloads are the events of the loop benchmarks: JSON strings of about
// the named size.
var payloads = []struct {
	name string
	body []byte
}{
	{name: "small", body: []byte(`{"name":"Ada"}`)},
	{name: "1KB", body: []byte(`"` + strings.Repeat("x", 1022) + `"`)},
	{name: "100KB", body: []byte(`"` + strings.Repeat("x", 100*1024-2) + `"`)},
}

// BenchmarkLoop measures one invocation through Lumen's loop against the
// fake Runtime API: hand-over on GET /next, the handler, POST /response.
// ns/op and allocs/op are per invocation and include the in-process fake
// server and the Invoke driver; BenchmarkServerBaseline measures those
// alone, so the difference is the runtime's own cost.
func BenchmarkLoop(b *testing.B) {
	handlers := []struct {
		name    string
		handler any
	}{
		{name: "echo", handler: rawEcho{}},
		{name: "json", handler: func(_ context.Context, e json.RawMessage) (json.RawMessage, error) { return e, nil }},
	}
	for _, h := range handlers {
		for _, p := range payloads {
			b.Run(h.name+"-"+p.name, func(b *testing.B) {
				srv := runtimetest.NewServer(runtimetest.WithoutRecord())
				defer srv.Close()
				ctx, cancel := context.WithCancel(b.Context())
				done := make(chan error, 1)
				go func() {
					done <- runtime.Run(ctx, h.handler, runtime.WithRuntimeAPI(srv.Addr()),
						runtime.WithMaxConcurrency(1), runtime.WithLogger(slog.New(slog.DiscardHandler)))
				}()
				defer func() {
					cancel()
					if err := <-done; err != nil {
						b.Error(err)
					}
				}()
				if _, err := srv.Invoke(ctx, p.body); err != nil { // warm up the connection
					b.Fatal(err)
				}
				b.SetBytes(int64(len(p.body)))
				b.ReportAllocs()
				for b.Loop() {
					res, err := srv.Invoke(ctx, p.body)
					if err != nil {
						b.Fatal(err)
					}
					if res.Status != http.StatusAccepted {
						b.Fatalf("status %d: %s", res.Status, res.Body)
					}
				}
			})
		}
	}
}

// BenchmarkServerBaseline runs a minimal hand-written Runtime API loop (one
// GET, one POST, no context, no JSON) against the same fake server: the
// floor under BenchmarkLoop.
func BenchmarkServerBaseline(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) {
			srv := runtimetest.NewServer(runtimetest.WithoutRecord())
			defer srv.Close()
			ctx, cancel := context.WithCancel(b.Context())
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			done := make(chan struct{})
			go func() {
				defer close(done)
				base := srv.URL() + "/2018-06-01/runtime/invocation/"
				var buf bytes.Buffer
				for {
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"next", nil)
					resp, err := client.Do(req)
					if err != nil {
						return
					}
					buf.Reset()
					_, _ = buf.ReadFrom(resp.Body)
					resp.Body.Close()
					post, _ := http.NewRequest(http.MethodPost, base+resp.Header.Get("Lambda-Runtime-Aws-Request-Id")+"/response",
						bytes.NewReader(buf.Bytes()))
					if resp, err = client.Do(post); err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
			defer func() {
				cancel()
				<-done
			}()
			b.SetBytes(int64(len(p.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := srv.Invoke(ctx, p.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// recordOnly hides the tracer provider's ForceFlush, so the runtime records
// spans without flushing them after each invocation: the batch processor
// hands them to its exporter in the background, as it would between flushes.
type recordOnly struct{ trace.TracerProvider }

// BenchmarkInstrumentedLoop measures what recording telemetry adds to one
// invocation through the loop, apart from exporting it: "bare" has no
// telemetry, "traced" records the invocation and phase spans into a tracer
// provider whose batch processor discards them, "metrics" records into a
// metrics.Recorder (nothing gathers it), "traced+metrics" both. Every event
// carries a sampled X-Ray header, as inside Lambda with tracing on.
func BenchmarkInstrumentedLoop(b *testing.B) {
	header := "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	tracer := func(b *testing.B) runtime.Option {
		tp, err := tracing.NewTracerProvider(tracing.WithExporter(tracetest.NewNoopExporter()))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
		return runtime.WithTracerProvider(recordOnly{tp})
	}
	meter := func(b *testing.B) runtime.Option {
		rec, err := metrics.New()
		if err != nil {
			b.Fatal(err)
		}
		return runtime.WithMetrics(rec)
	}
	variants := []struct {
		name string
		opts []func(*testing.B) runtime.Option
	}{
		{name: "bare"},
		{name: "traced", opts: []func(*testing.B) runtime.Option{tracer}},
		{name: "metrics", opts: []func(*testing.B) runtime.Option{meter}},
		{name: "traced+metrics", opts: []func(*testing.B) runtime.Option{tracer, meter}},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			srv := runtimetest.NewServer(runtimetest.WithoutRecord())
			defer srv.Close()
			opts := []runtime.Option{runtime.WithRuntimeAPI(srv.Addr()), runtime.WithMaxConcurrency(1),
				runtime.WithLogger(slog.New(slog.DiscardHandler)), runtime.WithShutdownExtension(false)}
			for _, o := range v.opts {
				opts = append(opts, o(b))
			}
			ctx, cancel := context.WithCancel(b.Context())
			done := make(chan error, 1)
			handler := func(_ context.Context, e json.RawMessage) (json.RawMessage, error) { return e, nil }
			go func() { done <- runtime.Run(ctx, handler, opts...) }()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					b.Error(err)
				}
			}()
			event := payloads[0].body
			if _, err := srv.Invoke(ctx, event, runtimetest.WithTraceID(header)); err != nil { // warm up
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := srv.Invoke(ctx, event, runtimetest.WithTraceID(header))
				if err != nil {
					b.Fatal(err)
				}
				if res.Status != http.StatusAccepted {
					b.Fatalf("status %d: %s", res.Status, res.Body)
				}
			}
		})
	}
}
