package promhttp

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// ErrInvalidOption is wrapped by the error [New] returns when an argument
// or option is unusable.
var ErrInvalidOption = errors.New("promhttp: invalid option")

// DefaultAddr is where the server listens when [New] is given an empty
// address: loopback only, on the port OpenTelemetry's Prometheus exporter
// uses.
const DefaultAddr = "127.0.0.1:9464"

// DefaultPath is the path metrics are served on.
const DefaultPath = "/metrics"

// Option configures [New]. Options are sealed: only this package creates
// them.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	path       string
	errHandler func(error)
	errs       []error
}

// WithPath sets the path metrics are served on; the default is
// [DefaultPath]. It must start with "/".
func WithPath(path string) Option {
	return optionFunc(func(c *config) {
		if !strings.HasPrefix(path, "/") {
			c.errs = append(c.errs, fmt.Errorf("%w: path %q must start with /", ErrInvalidOption, path))
			return
		}
		c.path = path
	})
}

// WithErrorHandler sets the function that receives errors with no caller
// to return to: a server that stops serving unexpectedly, and gathers that
// failed while serving a scrape. The default logs them with slog at error
// level.
func WithErrorHandler(handle func(error)) Option {
	return optionFunc(func(c *config) {
		if handle != nil {
			c.errHandler = handle
		}
	})
}

func defaultErrorHandler(err error) {
	slog.Error("promhttp: metrics endpoint", "error", err)
}
