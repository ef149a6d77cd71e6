package flush_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/lumen-rt/lumen/telemetry"
)

// BenchmarkFlush measures, per exporter built by telemetry.New, one
// invocation's telemetry recorded and then flushed to a loopback backend,
// once per op: the cost the flush point adds after each response with the
// `end` strategy. The *-all cases flush every part of a configuration, one
// flusher after the other.
func BenchmarkFlush(b *testing.B) {
	ctx := context.WithoutCancel(b.Context())
	b.Run("xray", func(b *testing.B) {
		addr, datagrams := udpDaemon(b)
		p := newPipeline(b, with(defaultsEnv(addr), telemetry.EnvMetricsExporter, "none"))
		r := newInvocationRecorder(p)
		benchFlush(b, func() { r.spans(ctx) }, flusher(b, p, "traces"))
		requireSome(b, datagrams)
	})
	b.Run("emf", func(b *testing.B) {
		p := newPipeline(b, with(lambdaEnv(), telemetry.EnvTracesExporter, "none"))
		r := newInvocationRecorder(p)
		benchFlush(b, r.metrics, flusher(b, p, "emf"))
	})
	b.Run("otlp-traces", func(b *testing.B) {
		url, requests := otlpSink(b)
		p := newPipeline(b, with(otlpEnv(url), telemetry.EnvMetricsExporter, "none", telemetry.EnvLogsExporter, "none"))
		r := newInvocationRecorder(p)
		benchFlush(b, func() { r.spans(ctx) }, flusher(b, p, "traces"))
		requireSome(b, requests)
	})
	b.Run("otlp-metrics", func(b *testing.B) {
		url, requests := otlpSink(b)
		p := newPipeline(b, with(otlpEnv(url), telemetry.EnvTracesExporter, "none", telemetry.EnvLogsExporter, "none"))
		r := newInvocationRecorder(p)
		benchFlush(b, r.metrics, flusher(b, p, "otlp"))
		requireSome(b, requests)
	})
	b.Run("otlp-logs", func(b *testing.B) {
		url, requests := otlpSink(b)
		p := newPipeline(b, with(otlpEnv(url), telemetry.EnvTracesExporter, "none", telemetry.EnvMetricsExporter, "none"))
		r := newInvocationRecorder(p)
		benchFlush(b, func() { r.logLine(r.invocationContext(ctx)) }, flusher(b, p, "otlp"))
		requireSome(b, requests)
	})
	b.Run("http-post-1KiB", func(b *testing.B) {
		// Not Lumen: one bare POST of 1 KiB over a kept-alive loopback
		// connection with net/http, the yardstick of the OTLP flushes.
		url, requests := otlpSink(b)
		body := make([]byte, 1024)
		client := &http.Client{}
		benchFlush(b, func() {}, flushFunc(func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/traces", bytes.NewReader(body))
			if err != nil {
				return err
			}
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			return resp.Body.Close()
		}))
		client.CloseIdleConnections()
		requireSome(b, requests)
	})
	b.Run("defaults-all", func(b *testing.B) {
		addr, datagrams := udpDaemon(b)
		p := newPipeline(b, defaultsEnv(addr))
		r := newInvocationRecorder(p)
		benchFlush(b, func() { r.all(ctx) }, p)
		requireSome(b, datagrams)
	})
	b.Run("otlp-all", func(b *testing.B) {
		url, requests := otlpSink(b)
		p := newPipeline(b, otlpEnv(url))
		r := newInvocationRecorder(p)
		benchFlush(b, func() { r.all(ctx) }, p)
		requireSome(b, requests)
	})
}

// flushFunc is a function with ForceFlush's signature.
type flushFunc func(context.Context) error

func (f flushFunc) ForceFlush(ctx context.Context) error { return f(ctx) }

// requireSome fails b when the backend received nothing.
func requireSome(b *testing.B, n *atomic.Int64) {
	b.Helper()
	if n.Load() == 0 {
		b.Fatal("the backend received nothing")
	}
}
