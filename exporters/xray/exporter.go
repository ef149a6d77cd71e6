package xray

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
)

// ExporterName is the name the exporter reports drops under.
const ExporterName = "xray"

// MaxDatagramSize is the largest datagram the exporter sends: the largest
// UDP payload over IPv4, just under the daemon's 64 KiB read buffer. It
// includes the header line.
const MaxDatagramSize = 65507

// Header is the line that precedes every document sent to the daemon.
const Header = `{"format": "json", "version": 1}` + "\n"

var (
	// ErrShutdown is returned by ExportSpans after Shutdown.
	ErrShutdown = errors.New("xray: exporter is shut down")
	// ErrDocumentTooLarge reports a span whose document did not fit in
	// [MaxDatagramSize] even after trimming; the span is dropped.
	ErrDocumentTooLarge = errors.New("xray: segment document too large for a datagram")
)

// ExportError reports the spans of one ExportSpans call that were not
// delivered. Err joins the causes (ErrDocumentTooLarge, send errors,
// ErrShutdown, the context's error).
type ExportError struct {
	// Dropped is how many spans were not delivered.
	Dropped int
	// Err joins the reasons.
	Err error
}

// Error implements error.
func (e *ExportError) Error() string {
	return fmt.Sprintf("xray: %d span(s) dropped: %v", e.Dropped, e.Err)
}

// Unwrap returns the joined causes.
func (e *ExportError) Unwrap() error { return e.Err }

// DroppedSpans reports how many spans were lost, for wrappers that count
// drops (traces.Counting) and must not count the delivered ones.
func (e *ExportError) DroppedSpans() int { return e.Dropped }

// Exporter sends spans to the X-Ray daemon. It is safe for concurrent use;
// the zero value is not usable, call [New].
type Exporter struct {
	cfg  config
	addr string

	mu      sync.Mutex // serialises sends and guards enc and tree
	dlMu    sync.Mutex // guards the write deadline and gen
	gen     uint64     // export generation, so a late cancel hits only its own export
	conn    net.Conn
	enc     encoder
	tree    forest
	stopped atomic.Bool
	once    sync.Once
	err     error
}

var _ sdktrace.SpanExporter = (*Exporter)(nil)

// New returns an exporter that sends to the daemon at the configured
// address. It resolves the address (ctx bounds a DNS lookup) and opens a
// UDP socket; nothing is sent until ExportSpans. Defaults: address
// [DefaultDaemonAddress] (the telemetry package passes Lambda's
// AWS_XRAY_DAEMON_ADDRESS with [WithDaemonAddress]); no drop counter; no
// extra indexed attributes. A bad address returns an [*AddressError].
func New(ctx context.Context, opts ...Option) (*Exporter, error) {
	cfg := config{maxSize: MaxDatagramSize}
	for _, o := range opts {
		cfg = o.apply(cfg)
	}
	raw := cfg.address
	if !cfg.hasAddr {
		raw = DefaultDaemonAddress
	}
	addr, err := ParseDaemonAddress(raw)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("xray: dial daemon %s: %w", addr, err)
	}
	e := &Exporter{cfg: cfg, addr: addr, conn: conn}
	e.enc.indexed = cfg.indexed
	return e, nil
}

// Addr returns the daemon's UDP address the exporter sends to.
func (e *Exporter) Addr() string { return e.addr }

// ExportSpans sends the sampled spans; unsampled spans are skipped. A span
// whose parent is not among spans (the invocation span, whose parent is
// Lambda's function segment; lumen.init; a span ended after its parent was
// exported) is sent in one datagram with all its descendants in spans
// nested as subsegments, so one invocation flushed at once is one datagram.
// When that document would not fit in [MaxDatagramSize], the span is sent
// alone and each child's tree separately with its parent_id, and so on down.
//
// It returns an [*ExportError] if any span was not delivered, after
// counting it. The writes are bounded by ctx: when ctx ends, the spans not
// yet sent are dropped and counted. Once the kernel refuses a datagram
// (the daemon is gone: its port is closed), nothing more is sent and the
// spans not sent are dropped and counted: UDP reports a refusal on the
// write after the datagram it concerns, so sending on would lose every
// other datagram uncounted.
func (e *Exporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if e.stopped.Load() {
		return e.drop(sampled(spans), ErrShutdown)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped.Load() {
		return e.drop(sampled(spans), ErrShutdown)
	}
	defer e.boundWrites(ctx)()
	e.tree.build(spans)
	defer e.tree.release()
	return e.exportError(e.send(ctx))
}

// sampled counts the spans that would be sent.
func sampled(spans []sdktrace.ReadOnlySpan) int {
	n := 0
	for _, s := range spans {
		if s.SpanContext().IsSampled() {
			n++
		}
	}
	return n
}

// boundWrites makes the socket's writes fail when ctx ends, whether by its
// deadline or by cancellation, and returns the function that stops watching
// ctx. A UDP write rarely blocks, but it can when the socket buffer is full.
func (e *Exporter) boundWrites(ctx context.Context) (stop func() bool) {
	e.dlMu.Lock()
	e.gen++
	gen := e.gen
	dl, _ := ctx.Deadline() // zero: no deadline
	_ = e.conn.SetWriteDeadline(dl)
	e.dlMu.Unlock()
	if ctx.Done() == nil {
		return noWatch
	}
	stopWatching := context.AfterFunc(ctx, func() {
		e.dlMu.Lock()
		defer e.dlMu.Unlock()
		if e.gen == gen {
			_ = e.conn.SetWriteDeadline(time.Unix(1, 0))
		}
	})
	return stopWatching
}

func noWatch() bool { return false }

// appendOnce appends err unless an error with the same message is already
// there, so one failing daemon yields one error, not one per span.
func appendOnce(errs []error, err error) []error {
	for _, x := range errs {
		if errors.Is(x, err) || x.Error() == err.Error() {
			return errs
		}
	}
	return append(errs, err)
}

func (e *Exporter) drop(n int, err error) error {
	if n == 0 {
		if errors.Is(err, ErrShutdown) {
			return err
		}
		return nil
	}
	if e.cfg.drops != nil {
		e.cfg.drops.Dropped(ExporterName, exporters.SignalTraces, n)
	}
	return &ExportError{Dropped: n, Err: err}
}

// ForceFlush returns at once: ExportSpans sends synchronously, so nothing is
// ever pending. It returns ctx's error if ctx is already done.
func (e *Exporter) ForceFlush(ctx context.Context) error { return ctx.Err() }

// Shutdown closes the socket. Later exports fail with [ErrShutdown]. It is
// idempotent; if an export is in progress it waits for it, bounded by ctx,
// and the socket is closed when that export ends.
func (e *Exporter) Shutdown(ctx context.Context) error {
	e.stopped.Store(true)
	if e.mu.TryLock() {
		defer e.mu.Unlock()
		return e.closeLocked()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.mu.Lock()
		defer e.mu.Unlock()
		_ = e.closeLocked()
	}()
	select {
	case <-done:
		return e.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *Exporter) closeLocked() error {
	e.once.Do(func() { e.err = e.conn.Close() })
	return e.err
}
