// Package turn serialises the exports of one exporter: a flush waits for
// the export in progress, but never past its context.
package turn

import "context"

// Turn is a lock of one token whose wait honours a context. Make one with
// [New]; it is safe for concurrent use.
type Turn chan struct{}

// New returns a Turn whose token is free.
func New() Turn {
	t := make(Turn, 1)
	t <- struct{}{}
	return t
}

// Acquire takes the token, or returns ctx's error when ctx ends first.
func (t Turn) Acquire(ctx context.Context) error {
	select {
	case <-t:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release gives the token back. Call it once per successful Acquire.
func (t Turn) Release() { t <- struct{}{} }
