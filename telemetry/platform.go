package telemetry

import (
	"context"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/platform"
)

// platformBuffering is how long Lambda may hold platform events before it
// delivers them.
const platformBuffering = 100 * time.Millisecond

// buildPlatform subscribes nothing yet: it makes the Telemetry API
// subscriber LUMEN_PLATFORM_TELEMETRY asks for, feeding the pipeline's
// tracer provider and recorder. The runtime's internal extension subscribes
// it ([Pipeline.Subscribe]) during the init.
func (p *Pipeline) buildPlatform() {
	if !p.env.PlatformTelemetry || p.env.SDKDisabled {
		return
	}
	opts := []platform.Option{
		platform.WithErrorHandler(p.onError),
		platform.WithTrackedInvocations(max(256, 4*p.env.Lambda.MaxConcurrency)),
		// Batches at most every 100 ms: a report still leaves with the
		// next flush after it, and the listener has four times the API's
		// shortest interval to answer a delivery before the next one is
		// ready (Lambda drops a batch that finds the previous one still in
		// flight).
		platform.WithBuffering(platform.DefaultMaxItems, platform.DefaultMaxBytes, platformBuffering),
	}
	if p.tp != nil {
		opts = append(opts, platform.WithTracerProvider(p.tp))
	}
	if p.rec != nil {
		opts = append(opts, platform.WithMetricsSink(platformMetrics{rec: p.rec, initType: metrics.InitType(p.env.Lambda.InitializationType)}),
			platform.WithDropCounter(p.rec))
	}
	p.platform = platform.New(opts...)
	// It turns what arrived into spans and metrics: the other flushers
	// must run after it, and it waits for the reports still due before the
	// final flush.
	p.flushers = append([]Flusher{platformFlusher{p.platform}}, p.flushers...)
	p.shutdowns = append([]func(context.Context) error{p.platform.Shutdown}, p.shutdowns...)
}

// WantsExtension reports whether the pipeline needs the runtime's internal
// extension for more than SIGTERM: the Telemetry API subscription.
func (p *Pipeline) WantsExtension() bool { return p.platform != nil }

// Subscribe subscribes the pipeline to the Lambda Telemetry API with the
// runtime's internal extension, registered as extensionID on runtimeAPI. The
// runtime calls it during its init, before its first GET /next: Lambda
// accepts subscriptions only then. It returns an error matching
// platform.ErrNotSupported where the API is not served (the classic
// emulator); the pipeline then carries on without it.
func (p *Pipeline) Subscribe(ctx context.Context, runtimeAPI, extensionID string, client *http.Client) error {
	if p.platform == nil {
		return nil
	}
	return p.platform.Subscribe(ctx, runtimeAPI, extensionID, client)
}

// InvocationStarted tells the pipeline an invocation started, with its
// invocation span's context (zero without tracing), so that Lambda's report
// of it, which arrives during the next invocation, finds its trace and its
// trigger. It costs nothing without platform telemetry.
func (p *Pipeline) InvocationStarted(requestID string, trigger invocation.Trigger, sc trace.SpanContext) {
	if p.platform != nil {
		p.platform.Started(requestID, trigger, sc)
	}
}

// TracksInvocations reports whether [Pipeline.InvocationStarted] does
// anything, so that the runtime skips calling it otherwise.
func (p *Pipeline) TracksInvocations() bool { return p.platform != nil }

// platformFlusher is the subscriber at the flush point: first, and drained
// before the final flush.
type platformFlusher struct{ p *platform.Platform }

func (f platformFlusher) ForceFlush(ctx context.Context) error { return f.p.ForceFlush(ctx) }
func (f platformFlusher) Name() string                         { return f.p.Name() }

// HalfFull reports whether the platform events waiting for the next flush
// fill half their queue.
func (f platformFlusher) HalfFull() bool { return f.p.HalfFull() }

// FlushesFirst tells the flush point to run this flusher, and wait for it,
// before the others: it feeds them.
func (platformFlusher) FlushesFirst() {}

// Drain waits, within ctx, for the reports still due, then turns everything
// into spans and metrics: the runtime calls it at shutdown before the final
// flush.
func (f platformFlusher) Drain(ctx context.Context) error { return f.p.Shutdown(ctx) }

// platformMetrics records Lambda's reports on the pipeline's recorder.
type platformMetrics struct {
	rec      *metrics.Recorder
	initType metrics.InitType
}

var _ platform.MetricsSink = platformMetrics{}

func (m platformMetrics) RecordReport(r platform.Report) {
	m.rec.RecordPlatformReport(metrics.PlatformReport{
		Trigger:            r.Trigger,
		Status:             string(r.Status),
		ErrorType:          r.ErrorType,
		Duration:           r.Duration,
		BilledDuration:     r.BilledDuration,
		MaxMemoryUsedBytes: r.MaxMemoryUsed,
		MemoryLimitBytes:   r.MemorySize,
		InitDuration:       r.InitDuration,
		InitType:           m.initType,
		RestoreDuration:    r.RestoreDuration,
	})
	// Lambda Managed Instances send no runtimeDone: its spans are in the
	// report.
	if lat, ok := r.Span(platform.SpanResponseLatency); ok {
		m.runtimeDone(r.Trigger, lat, r.Span, -1)
	}
}

func (m platformMetrics) RecordRuntimeDone(rd platform.RuntimeDone) {
	lat, ok := rd.Span(platform.SpanResponseLatency)
	if !ok {
		lat.Duration = -1
	}
	m.runtimeDone(rd.Trigger, lat, rd.Span, rd.ProducedBytes)
}

func (m platformMetrics) runtimeDone(t invocation.Trigger, lat platform.Span, span func(string) (platform.Span, bool), produced int64) {
	dur := time.Duration(-1)
	if d, ok := span(platform.SpanResponseDuration); ok {
		dur = d.Duration
	}
	m.rec.RecordPlatformRuntimeDone(metrics.PlatformRuntimeDone{
		Trigger: t, ResponseLatency: lat.Duration, ResponseDuration: dur, ProducedBytes: produced,
	})
}

func (m platformMetrics) RecordInitReport(r platform.InitReport) {
	m.rec.RecordPlatformInit(metrics.PlatformInitReport{InitType: metrics.InitType(r.InitializationType), Duration: r.Duration})
}

func (m platformMetrics) RecordRestoreReport(r platform.RestoreReport) {
	m.rec.RecordPlatformRestore(r.Duration)
}
