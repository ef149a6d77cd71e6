package flush_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/lumen-rt/lumen/bench/internal/workload"
	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
	"github.com/lumen-rt/lumen/telemetry"
)

// BenchmarkInvocation measures one whole invocation in process: the
// benchmark's handler (bench/internal/workload) under runtime.Run against
// the fake Runtime API, hand-over, handler, post and the flush point, with
// the pipeline each configuration's environment gives and its flush
// strategy. ns/op includes the fake Runtime API's own work, the same in
// every case; "off" is runtime.WithoutTelemetry.
func BenchmarkInvocation(b *testing.B) {
	cases := []struct {
		name string
		env  func(b *testing.B) map[string]string
	}{
		{name: "off"},
		{name: "defaults", env: func(b *testing.B) map[string]string {
			addr, _ := udpDaemon(b)
			return defaultsEnv(addr)
		}},
		{name: "defaults-adaptive", env: func(b *testing.B) map[string]string {
			addr, _ := udpDaemon(b)
			return with(defaultsEnv(addr), telemetry.EnvFlushStrategy, "adaptive")
		}},
		{name: "otlp-end", env: func(b *testing.B) map[string]string {
			url, _ := otlpSink(b)
			return with(otlpEnv(url), telemetry.EnvFlushStrategy, "end")
		}},
		{name: "otlp-adaptive", env: func(b *testing.B) map[string]string {
			url, _ := otlpSink(b)
			return with(otlpEnv(url), telemetry.EnvFlushStrategy, "adaptive")
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			srv := runtimetest.NewServer(runtimetest.WithoutRecord())
			defer srv.Close()
			opts := []runtime.Option{runtime.WithRuntimeAPI(srv.Addr()), runtime.WithShutdownExtension(false)}
			if c.env == nil {
				// The workload logs through slog's default logger: a
				// text line, as the process variant writes to stderr.
				prev := slog.Default()
				slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
				b.Cleanup(func() { slog.SetDefault(prev) })
				opts = append(opts, runtime.WithoutTelemetry())
			} else {
				opts = append(opts, runtime.WithTelemetry(newPipeline(b, c.env(b))))
			}
			benchInvocations(b, srv, opts)
		})
	}
}

// benchInvocations runs the workload under runtime.Run with opts and
// invokes it once per op.
func benchInvocations(b *testing.B, srv *runtimetest.Server, opts []runtime.Option) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(b.Context()))
	done := make(chan error, 1)
	go func() { done <- runtime.Run(ctx, workload.Handle, opts...) }()
	defer func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			b.Error(err)
		}
	}()
	event := workload.NewEvent(0)
	for range 100 { // warm up: connections, buffers, the cold start
		invoke(b, ctx, srv, event)
	}
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		invoke(b, ctx, srv, event)
	}
	cpu.report(b)
}

func invoke(b *testing.B, ctx context.Context, srv *runtimetest.Server, event []byte) {
	res, err := srv.Invoke(ctx, event)
	if err != nil {
		b.Fatal(err)
	}
	if res.Status != http.StatusAccepted {
		b.Fatalf("status %d: %s", res.Status, res.Body)
	}
}
