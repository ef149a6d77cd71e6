package runtime

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// extensionName is the internal extension Lumen registers so that Lambda
// sends SIGTERM before shutting the environment down.
const extensionName = "lumen"

// enableShutdown registers the internal extension (it must happen before the
// first GET /next) and runs the shutdown sequence on SIGTERM: callbacks, a
// final flush, then stop(ErrShutdown).
func (r *runner) enableShutdown(ctx context.Context, stop context.CancelCauseFunc, wg *sync.WaitGroup) {
	signals := r.cfg.shutdownSignals
	if signals == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM)
		signals = ch
		wg.Go(func() {
			<-ctx.Done()
			signal.Stop(ch)
		})
	}
	id, err := r.client.registerExtension(ctx, extensionName)
	if err != nil {
		r.cfg.handleError(fmt.Errorf("registering the shutdown extension: %w", err))
	} else {
		if p := r.cfg.pipeline; p != nil && p.WantsExtension() {
			// Lambda accepts Telemetry API subscriptions during the init
			// only, before the extension parks on its event stream.
			if err := p.Subscribe(ctx, r.cfg.runtimeAPI, id, r.cfg.httpClient); err != nil {
				r.cfg.handleError(fmt.Errorf("platform telemetry off: %w", err))
			}
		}
		wg.Go(func() { r.client.parkExtension(ctx, id) })
	}
	wg.Go(func() {
		select {
		case <-signals:
			r.shutdown()
			stop(ErrShutdown)
			close(r.shutDown)
		case <-ctx.Done():
		}
	})
}

// shutdown runs the SIGTERM callbacks, ends the spans of the invocations
// still in flight (marked interrupted), then runs a final flush that ends
// DefaultShutdownBudget after the signal, cancelling any flush in progress
// first: slow callbacks eat into the flush's time, never into the time
// before SIGKILL. Run returns once it is done, without waiting for a
// handler still running.
func (r *runner) shutdown() {
	end := time.Now().Add(DefaultShutdownBudget)
	r.shutdownEnd = end
	for _, cb := range r.cfg.sigtermCallbacks {
		cb()
	}
	r.interruptInFlight()
	// Telemetry still due (Lambda's report of the last invocation) is
	// waited for during a third of what is left.
	drainCtx, drainCancel := context.WithDeadline(context.Background(), time.Now().Add(time.Until(end)/3))
	r.flush.drain(drainCtx)
	drainCancel()
	// The final flush gets two thirds of what is left, so that a flusher
	// that hangs until its deadline leaves the exporters time to shut down
	// (a Pushgateway group to delete, staleness markers to write).
	r.flush.final(time.Now().Add(time.Until(end) * 2 / 3))
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	for _, shut := range r.cfg.shutdowners {
		if err := shut(ctx); err != nil {
			r.cfg.handleError(fmt.Errorf("shutting telemetry down: %w", err))
		}
	}
}

// registerExtension registers an internal extension with no events and
// returns its identifier.
func (c *client) registerExtension(ctx context.Context, name string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.extensionAt+"register", bytes.NewReader([]byte(`{"events":[]}`)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Lambda-Extension-Name", name)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", readAPIError(req, resp)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Header.Get("Lambda-Extension-Identifier"), nil
}

// parkExtension waits on /extension/event/next: with no events subscribed
// Lambda never answers, but the call is what lets init complete.
func (c *client) parkExtension(ctx context.Context, id string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.extensionAt+"event/next", nil)
	if err != nil {
		return
	}
	req.Header.Set("Lambda-Extension-Identifier", id)
	resp, err := c.http.Do(req)
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
