package flush_test

import (
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/telemetry"
	"github.com/lumen-rt/lumen/tracing"
)

// lambdaEnv is what Lambda sets in every function's environment.
func lambdaEnv() map[string]string {
	return map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "bench",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/bench",
		"AWS_LAMBDA_LOG_STREAM_NAME":      "2026/01/01/[$LATEST]bench",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_REGION":                      "us-east-1",
	}
}

// defaultsEnv is Lambda's defaults with active tracing: spans to the X-Ray
// daemon at addr, JSON logs, EMF metrics.
func defaultsEnv(addr string) map[string]string {
	env := lambdaEnv()
	env[telemetry.EnvXRayDaemonAddress] = addr
	env[telemetry.EnvLogFormat] = "JSON"
	return env
}

// otlpEnv sends every signal over OTLP/HTTP to url.
func otlpEnv(url string) map[string]string {
	env := lambdaEnv()
	env["OTEL_EXPORTER_OTLP_ENDPOINT"] = url
	return env
}

// with returns env with more variables.
func with(env map[string]string, kv ...string) map[string]string {
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

// newPipeline builds the pipeline env describes, as runtime.Start does in
// a fresh process (no provider installed before),
// with the Lambda log handler writing to io.Discard and EMF documents to
// stdout, which it points at /dev/null meanwhile: a write syscall, as to
// Lambda's pipe. Configuration warnings and background errors fail b.
func newPipeline(b *testing.B, env map[string]string) *telemetry.Pipeline {
	b.Helper()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(b, err)
	stdout := os.Stdout
	os.Stdout = null // read by the EMF exporter when it is built
	p, err := telemetry.New(b.Context(),
		telemetry.WithEnv(telemetry.ReadEnv(func(k string) string { return env[k] })),
		telemetry.WithLogWriter(io.Discard),
		// A process builds one pipeline; here an earlier benchmark's,
		// installed by runtime.Run, is the global provider.
		telemetry.WithoutGlobalTracerProvider(),
		telemetry.WithErrorHandler(func(err error) { b.Errorf("telemetry: %v", err) }))
	os.Stdout = stdout
	require.NoError(b, err)
	require.Empty(b, p.Warnings())
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(b, p.Shutdown(ctx))
		_ = null.Close()
	})
	return p
}

// flusher returns the pipeline's flusher named name.
func flusher(b *testing.B, p *telemetry.Pipeline, name string) telemetry.Flusher {
	b.Helper()
	var names []string
	for _, f := range p.Flushers() {
		if f.Name() == name {
			return f
		}
		names = append(names, f.Name())
	}
	b.Fatalf("no flusher %q among %v", name, names)
	return nil
}

// flushAll flushes every part of the pipeline, as the flush point does
// (here one after the other, on the caller's goroutine).
func flushAll(b *testing.B, ctx context.Context, p *telemetry.Pipeline) {
	if err := p.ForceFlush(ctx); err != nil {
		b.Fatal(err)
	}
}

// invocationRecorder records one invocation's telemetry as Lumen's runtime
// does: the invocation span with its attributes and its receive, handle
// and post phases, the invocation's metrics, and the handler's log line.
type invocationRecorder struct {
	tracer trace.Tracer
	rec    *metrics.Recorder
	log    *slog.Logger
	info   invocation.Info
	ev     invocation.Event
	attrs  []attribute.KeyValue
	start  metrics.Start
	n      uint64 // invocations recorded
}

func newInvocationRecorder(p *telemetry.Pipeline) *invocationRecorder {
	r := &invocationRecorder{rec: p.Metrics()}
	if tp := p.TracerProvider(); tp != nil {
		r.tracer = tp.Tracer("github.com/lumen-rt/lumen/runtime")
	}
	if h := p.LogHandler(); h != nil {
		r.log = slog.New(h)
	}
	r.info.Lambda.AwsRequestID = "00000000-0000-4000-8000-000000000001"
	r.info.Lambda.InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
	r.info.TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	r.info.XRay, _ = invocation.ParseXRayHeader(r.info.TraceHeader)
	r.ev = invocation.Classify([]byte(`{"name":"bench"}`))
	r.info.Trigger, r.info.Source = r.ev.Trigger, r.ev.Source
	r.start = metrics.Start{Kind: metrics.StartWarm}
	return r
}

// spans records the runtime's four spans of one invocation.
func (r *invocationRecorder) spans(ctx context.Context) context.Context {
	now := time.Now()
	ctx = tracing.ContextWithRemoteParent(invocation.NewContext(ctx, &r.info), r.info.XRay)
	r.attrs = tracing.AppendAttributes(r.attrs[:0], &r.info, r.ev, "$LATEST")
	arrived := trace.WithTimestamp(now)
	ctx, span := r.tracer.Start(ctx, r.ev.SpanName("bench"), trace.WithSpanKind(r.ev.Kind), arrived, trace.WithAttributes(r.attrs...))
	_, recv := r.tracer.Start(ctx, "lumen.receive", arrived)
	recv.End()
	hctx, handle := r.tracer.Start(ctx, "lumen.handle")
	handle.End()
	_, post := r.tracer.Start(ctx, "lumen.post")
	post.End()
	span.End()
	return hctx
}

// metrics records one invocation's metrics.
func (r *invocationRecorder) metrics() {
	r.rec.InvocationStarted()
	r.rec.ObservePhase(metrics.PhasePollWait, 20*time.Microsecond)
	r.rec.ObservePhase(metrics.PhaseEventReceive, 15*time.Microsecond)
	r.rec.ObservePhase(metrics.PhaseHandle, 40*time.Microsecond)
	r.rec.ObservePhase(metrics.PhasePost, 60*time.Microsecond)
	r.rec.RecordInvocation(metrics.InvocationResult{
		Trigger: r.ev.Trigger, Duration: 150 * time.Microsecond, Start: r.start, RequestBytes: 16, ResponseBytes: 34,
		BatchItemFailures: -1,
	})
}

// logLine logs the workload's line in ctx.
func (r *invocationRecorder) logLine(ctx context.Context) {
	r.log.InfoContext(ctx, "greeted", "name", "bench", "bytes", 0)
}

// invocationContext returns ctx carrying the invocation and a span of its
// own, as the handler's context does: the log handler stamps each line
// with their ids, encoded once per invocation.
func (r *invocationRecorder) invocationContext(ctx context.Context) context.Context {
	r.n++
	var sid trace.SpanID
	binary.BigEndian.PutUint64(sid[:], r.n)
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: r.info.XRay.SpanContext().TraceID(), SpanID: sid,
		TraceFlags: trace.FlagsSampled})
	return trace.ContextWithSpanContext(invocation.NewContext(ctx, &r.info), sc)
}

// all records the invocation's spans, metrics and log line.
func (r *invocationRecorder) all(ctx context.Context) {
	if r.tracer != nil {
		ctx = r.spans(ctx)
	}
	if r.rec != nil {
		r.metrics()
	}
	if r.log != nil {
		r.logLine(ctx)
	}
}

// udpDaemon is a loopback UDP socket that reads and discards datagrams, as
// far as the exporter can tell an X-Ray daemon.
func udpDaemon(b *testing.B) (addr string, datagrams *atomic.Int64) {
	b.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(b, err)
	if c, ok := conn.(*net.UDPConn); ok {
		_ = c.SetReadBuffer(4 << 20)
	}
	datagrams = &atomic.Int64{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			if _, _, err := conn.ReadFrom(buf); err != nil {
				return
			}
			datagrams.Add(1)
		}
	}()
	b.Cleanup(func() {
		_ = conn.Close()
		<-done
	})
	return conn.LocalAddr().String(), datagrams
}

// otlpSink is a loopback OTLP/HTTP endpoint that reads and discards,
// counting requests.
func otlpSink(b *testing.B) (url string, requests *atomic.Int64) {
	b.Helper()
	requests = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		requests.Add(1)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv.URL, requests
}

// discard is an http.RoundTripper that reads the request and answers 200:
// encoding and request building, without the network.
type discard struct{}

func (discard) RoundTrip(r *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, r.Body)
	_ = r.Body.Close()
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Body: http.NoBody, Request: r,
		Header: http.Header{"Content-Type": {"application/x-protobuf"}}}, nil
}

// processCPU is the process's CPU time so far, every thread, user and
// system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processIO returns the read and write system calls the process made so
// far (/proc/self/io syscr and syscw: read, write and their kin on files
// and TCP sockets; not UDP's sendto).
func processIO() (reads, writes int64) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(b)) {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ": ")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "syscr":
			reads = n
		case "syscw":
			writes = n
		}
	}
	return reads, writes
}

// cpuMeter reports, per op, the process's CPU time as cpu-ns/op (every
// thread's: the exporter's, the loopback backend's, the GC's), which on a
// shared machine moves less with the load than the wall time of ns/op,
// and its read and write system calls as reads/op and writes/op, which do
// not move at all.
type cpuMeter struct {
	cpu, paused, pausedAt    time.Duration
	reads, writes            int64
	pausedR, pausedW, r0, w0 int64
}

func startCPU() *cpuMeter {
	m := &cpuMeter{cpu: processCPU()}
	m.reads, m.writes = processIO()
	return m
}

// pause and resume leave out what runs in between (work done with the
// timer stopped).
func (m *cpuMeter) pause() {
	m.pausedAt = processCPU()
	m.r0, m.w0 = processIO()
}

func (m *cpuMeter) resume() {
	m.paused += processCPU() - m.pausedAt
	r, w := processIO()
	m.pausedR, m.pausedW = m.pausedR+r-m.r0, m.pausedW+w-m.w0
}

// report reports the figures per op of the b.N ops run since startCPU.
func (m *cpuMeter) report(b *testing.B) {
	if b.N == 0 {
		return
	}
	n := float64(b.N)
	r, w := processIO()
	b.ReportMetric(float64(processCPU()-m.cpu-m.paused)/n, "cpu-ns/op")
	b.ReportMetric(float64(r-m.reads-m.pausedR)/n, "reads/op")
	b.ReportMetric(float64(w-m.writes-m.pausedW)/n, "writes/op")
}
