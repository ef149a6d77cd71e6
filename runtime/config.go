package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"time"
)

// Environment variables the runtime reads.
const (
	envRuntimeAPI     = "AWS_LAMBDA_RUNTIME_API"
	envMaxConcurrency = "AWS_LAMBDA_MAX_CONCURRENCY"
	envFlushBudget    = "LUMEN_FLUSH_BUDGET"
	envTraceID        = "_X_AMZN_TRACE_ID"
)

// ErrNoRuntimeAPI is returned by [Run] when neither [WithRuntimeAPI] nor
// AWS_LAMBDA_RUNTIME_API names the Runtime API: the process is not running
// inside Lambda or an emulator.
var ErrNoRuntimeAPI = errors.New("runtime: AWS_LAMBDA_RUNTIME_API is not set")

// config is options resolved against the environment and defaults.
type config struct {
	options
	base       context.Context
	ownsClient bool // the HTTP client is the runtime's own: close its connections on return
}

// ConfigError reports an environment variable the runtime cannot use. [Run]
// posts it to /runtime/init/error as Runtime.InvalidConfiguration.
type ConfigError struct {
	Variable, Value string
	Err             error
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("invalid %s %q: %v", e.Variable, e.Value, e.Err)
}

// Unwrap returns the parse error.
func (e *ConfigError) Unwrap() error { return e.Err }

var errNotPositive = errors.New("want a positive duration such as 750ms")

// newConfig resolves options against the environment. Without a Runtime
// API it returns only ErrNoRuntimeAPI; for any other invalid setting it
// returns the config (with defaults in its place) and a *ConfigError.
func newConfig(opts []Option) (*config, error) {
	c := &config{}
	for _, opt := range opts {
		opt(&c.options)
	}
	if f, ok := c.tracerProvider.(Flusher); ok {
		c.flushers = append(c.flushers, f)
	}
	c.flushers = uniqueFlushers(c.flushers)
	if c.runtimeAPI == "" {
		c.runtimeAPI = os.Getenv(envRuntimeAPI)
	}
	if c.runtimeAPI == "" {
		return nil, ErrNoRuntimeAPI
	}
	if c.maxConcurrency <= 0 {
		c.maxConcurrency = 1
		if v, err := strconv.Atoi(os.Getenv(envMaxConcurrency)); err == nil && v > 1 {
			c.maxConcurrency = v
		}
	}
	var cfgErr error
	if c.flushBudget <= 0 {
		c.flushBudget = DefaultFlushBudget
		if v := os.Getenv(envFlushBudget); v != "" {
			d, err := time.ParseDuration(v)
			if err == nil && d <= 0 {
				err = errNotPositive
			}
			if err != nil {
				cfgErr = &ConfigError{Variable: envFlushBudget, Value: v, Err: err}
			} else {
				c.flushBudget = d
			}
		}
	}
	if c.flushStrategy == nil {
		s := FlushAtEnd()
		if v := os.Getenv(envFlushStrategy); v != "" {
			parsed, err := ParseFlushStrategy(v)
			if err != nil {
				cfgErr = errors.Join(cfgErr, &ConfigError{Variable: envFlushStrategy, Value: v, Err: err})
			} else {
				s = parsed
			}
		}
		c.flushStrategy = &s
	}
	if c.flushReserve <= 0 {
		c.flushReserve = DefaultFlushReserve
	}
	if c.maxResponseSize <= 0 {
		c.maxResponseSize = MaxResponseSize
	}
	if c.httpClient == nil {
		c.httpClient = newHTTPClient(c.maxConcurrency)
		c.ownsClient = true
	}
	c.base = c.baseContext
	if c.base == nil {
		c.base = context.Background()
	}
	for _, kv := range c.contextValues {
		c.base = context.WithValue(c.base, kv.key, kv.value)
	}
	return c, cfgErr
}

// newHTTPClient returns a client without timeouts (the process may be frozen
// while GET /next waits) whose transport keeps an idle connection per worker
// plus one for the shutdown extension.
func newHTTPClient(workers int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.MaxIdleConnsPerHost = workers + 1
	t.MaxIdleConns = workers + 1
	t.DisableCompression = true
	return &http.Client{Transport: t}
}

func (c *config) log() *slog.Logger {
	if c.logger != nil {
		return c.logger
	}
	return slog.Default()
}

// handleError sends an error with no caller to the configured handler.
func (c *config) handleError(err error) {
	if c.errorHandler != nil {
		c.errorHandler(err)
		return
	}
	c.log().Error("lumen runtime", "error", err)
}

func (c *config) shutdownEnabled() bool {
	if c.shutdownExtension != nil {
		return *c.shutdownExtension
	}
	return len(c.flushers) > 0
}

// uniqueFlushers drops nil flushers and repeats of the same one, so that a
// tracer provider passed both to WithTracerProvider and WithFlusher is
// flushed once.
func uniqueFlushers(fs []Flusher) []Flusher {
	out := fs[:0:0]
	for _, f := range fs {
		if f == nil || slices.ContainsFunc(out, func(g Flusher) bool { return sameFlusher(f, g) }) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// sameFlusher compares flushers whose dynamic types may not be comparable,
// seeing through the names the runtime gives some of them.
func sameFlusher(a, b Flusher) (same bool) {
	if n, ok := a.(namedFlusher); ok {
		a = n.Flusher
	}
	if n, ok := b.(namedFlusher); ok {
		b = n.Flusher
	}
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}
