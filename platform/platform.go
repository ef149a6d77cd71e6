package platform

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/invocation"
)

// Name is the platform telemetry's name as a flusher and as the exporter
// label of what it drops.
const Name = "lambda-platform"

// ErrShutdown is returned by [Platform.Subscribe] after
// [Platform.Shutdown].
var ErrShutdown = errors.New("platform telemetry is shut down")

// errSubscribed is returned by a second [Platform.Subscribe].
var errSubscribed = errors.New("platform telemetry is already subscribed")

// Platform receives Lambda's own telemetry through the Telemetry API and
// turns it into spans and metrics at the runtime's flush point. Its
// methods are safe for concurrent use; see the package documentation for
// the order the runtime calls them in.
type Platform struct {
	cfg     *config
	tracker *tracker
	queue   queue
	stats   counters

	// mu guards the listener's state.
	mu         sync.Mutex
	srv        *http.Server
	served     chan struct{}
	subscribed bool
	shut       atomic.Bool

	// drainMu lets one flush consume the queue at a time.
	drainMu sync.Mutex
	// pendingInit and pendingRestore wait for the first invocation, whose
	// trace their spans go in.
	pendingInit    []InitReport
	pendingRestore []RestoreReport
	// pending is set while either holds a report.
	pending atomic.Bool
	// dropReported is set once a loss was reported since the last flush,
	// so that a flood is one error per flush, not one per batch.
	dropReported atomic.Bool
}

// New returns a Platform that is not listening yet; [Platform.Subscribe]
// starts it. Defaults: listen on [DefaultListenAddress], schema
// [SchemaVersion], platform events only, buffering [DefaultMaxItems] /
// [DefaultMaxBytes] / [DefaultTimeout], a queue of [DefaultQueueSize]
// events, [DefaultTrackedInvocations] invocations tracked, no spans, no
// metrics, errors logged through slog. Invalid options are reported by
// Subscribe.
func New(opts ...Option) *Platform {
	cfg := newConfig(opts)
	p := &Platform{cfg: cfg, tracker: newTracker(cfg.tracked)}
	p.queue.size = cfg.queueSize
	return p
}

// Subscribe starts the listener and subscribes it to the Telemetry API at
// runtimeAPI (AWS_LAMBDA_RUNTIME_API's host:port) for the extension
// extensionID, registered beforehand through the Extensions API. It must
// run during init: after the registration and before the extension's first
// GET /extension/event/next, which closes subscriptions. client sends the
// subscription (nil: a client that ignores proxy settings).
//
// An answer of Telemetry.NotSupported (the Runtime Interface Emulator's
// classic mode) returns an error that matches [ErrNotSupported]; any other
// refusal an [*APIError]. Either way the listener is closed again and the
// Platform stays inert: its flushes cost nothing and the function carries
// on. Subscribe does not retry.
func (p *Platform) Subscribe(ctx context.Context, runtimeAPI, extensionID string, client *http.Client) error {
	if err := errors.Join(p.cfg.errs...); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.shut.Load():
		return ErrShutdown
	case p.subscribed:
		return errSubscribed
	}
	if client == nil {
		client = defaultClient()
		// One request: keep no connection open for the process's life.
		defer client.CloseIdleConnections()
	}
	ln, err := p.cfg.listen(ctx)
	if err != nil {
		return fmt.Errorf("platform: telemetry listener: %w", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(p.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.cfg.handleError(fmt.Errorf("platform: telemetry listener stopped: %w", err))
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	if err := p.cfg.subscribe(ctx, client, runtimeAPI, extensionID, port); err != nil {
		_ = srv.Close()
		<-served
		return fmt.Errorf("platform: subscribing to the Telemetry API: %w", err)
	}
	p.srv, p.served, p.subscribed = srv, served, true
	return nil
}

// fallbackListenAddress is where the listener binds when the default
// address's name does not resolve: outside Lambda, where the Runtime
// Interface Emulator delivers to 127.0.0.1.
const fallbackListenAddress = "127.0.0.1:0"

// listen binds the listener.
func (c *config) listen(ctx context.Context) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", c.listenAddr)
	var dnsErr *net.DNSError
	if err != nil && !c.listenSet && errors.As(err, &dnsErr) {
		return lc.Listen(ctx, "tcp", fallbackListenAddress)
	}
	return ln, err
}

// defaultClient talks to the Runtime API directly, whatever HTTP_PROXY
// says.
func defaultClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	return &http.Client{Transport: tr}
}

// Started tells the Platform about an invocation as it starts: its
// request id, its trigger and the span context of its invocation span (the
// zero value without tracing). The
// report of the invocation, arriving later, finds them. It costs a map
// insert under a mutex and keeps the last [WithTrackedInvocations]
// invocations.
func (p *Platform) Started(requestID string, trigger invocation.Trigger, sc trace.SpanContext) {
	if requestID == "" || p.shut.Load() {
		return
	}
	p.tracker.started(requestID, trigger, sc)
}

// ForceFlush turns every event that arrived since the last flush into
// spans (ended, so that the trace exporters' flush carries them) and
// metrics (handed to the sink). Call it before the exporters' flush. It
// stops when ctx is done and leaves the rest for the next flush; with
// nothing queued it returns at once.
func (p *Platform) ForceFlush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.shut.Load() || (!p.queue.filled.Load() && !p.pending.Load()) {
		return nil
	}
	p.drainMu.Lock()
	defer p.drainMu.Unlock()
	return p.drain(ctx)
}

// Shutdown stops the Platform: it waits, until ctx is done, for the
// reports of the invocations that have none yet (the last invocation's
// arrives after it, often at shutdown), stops the listener, then turns
// everything that arrived into spans and metrics as ForceFlush does, even
// when ctx is done by then (it is work in memory, bounded by the queue):
// the exporters' final flush must follow. Init and restore reports still
// waiting for an invocation become root spans. Later calls do nothing;
// every method is a no-op afterwards.
func (p *Platform) Shutdown(ctx context.Context) error {
	if !p.shut.CompareAndSwap(false, true) {
		return nil
	}
	p.mu.Lock()
	srv, served := p.srv, p.served
	p.mu.Unlock()
	var errs []error
	if srv != nil {
		if err := p.tracker.waitReported(ctx); err != nil {
			errs = append(errs, fmt.Errorf("platform: waiting for the last reports: %w", err))
		}
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
		<-served
	}
	p.drainMu.Lock()
	defer p.drainMu.Unlock()
	_ = p.drain(context.Background())
	p.drainLeftovers()
	return errors.Join(errs...)
}

// Name returns [Name], the Platform's name as a flusher.
func (p *Platform) Name() string { return Name }

// HalfFull reports whether the events waiting for the next flush fill half
// the queue ([WithQueueSize]): a flush strategy that defers flushes flushes
// at once then, before events are dropped. It takes no lock.
func (p *Platform) HalfFull() bool { return p.queue.half.Load() }

// Stats returns the counts so far.
func (p *Platform) Stats() Stats { return p.stats.snapshot() }
