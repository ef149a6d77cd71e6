package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"github.com/lumen-rt/lumen/telemetry"
)

// envTraceID is the variable the runtime sets to the invocation's trace
// header when one invocation runs at a time, as aws-lambda-go does.
const envTraceID = "_X_AMZN_TRACE_ID"

// ErrNoRuntimeAPI is returned by [Run] when neither [WithRuntimeAPI] nor
// AWS_LAMBDA_RUNTIME_API names the Runtime API: the process is not running
// inside Lambda or an emulator.
var ErrNoRuntimeAPI = errors.New("runtime: AWS_LAMBDA_RUNTIME_API is not set")

// config is options resolved against the environment and defaults.
type config struct {
	options
	env        telemetry.Env // the environment, read once
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

// newConfig resolves options against the environment. Without a Runtime
// API it returns only ErrNoRuntimeAPI; for any other invalid setting it
// returns the config (with defaults in its place) and a *ConfigError.
func newConfig(opts []Option) (*config, error) {
	c := &config{}
	for _, opt := range opts {
		opt(&c.options)
	}
	if c.pipeline != nil {
		c.env = c.pipeline.Env()
	} else {
		c.env = telemetry.LoadEnv()
	}
	if c.runtimeAPI == "" {
		c.runtimeAPI = c.env.Lambda.RuntimeAPI
	}
	if c.runtimeAPI == "" {
		return nil, ErrNoRuntimeAPI
	}
	if c.maxConcurrency <= 0 {
		c.maxConcurrency = max(1, c.env.Lambda.MaxConcurrency)
	}
	var cfgErr error
	for _, err := range c.env.Errs {
		if ve, ok := errors.AsType[*telemetry.VarError](err); ok {
			err = &ConfigError{Variable: ve.Variable, Value: ve.Value, Err: ve.Err}
		}
		cfgErr = errors.Join(cfgErr, err)
	}
	if c.flushBudget <= 0 {
		c.flushBudget = DefaultFlushBudget
		if c.env.FlushBudget > 0 {
			c.flushBudget = c.env.FlushBudget
		}
	}
	if c.flushStrategy == nil {
		s := FlushAdaptive()
		if v := c.env.FlushStrategy; v != "" {
			parsed, err := ParseFlushStrategy(v)
			if err != nil {
				cfgErr = errors.Join(cfgErr, &ConfigError{Variable: telemetry.EnvFlushStrategy, Value: v, Err: err})
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

// assemble merges the pipeline's parts into the options, under what the
// options give explicitly, and registers the tracer provider at the flush
// point when it can flush. Run calls it once the pipeline is installed.
func (c *config) assemble() {
	p := c.pipeline
	if p != nil {
		if c.tracerProvider == nil {
			c.tracerProvider = p.TracerProvider()
		}
		if c.metrics == nil {
			c.metrics = p.Metrics()
		}
		for _, f := range p.Flushers() {
			c.flushers = append(c.flushers, f)
		}
		c.shutdowners = append(c.shutdowners, p.Shutdown)
	}
	if f, ok := c.tracerProvider.(Flusher); ok && (p == nil || !sameValue(c.tracerProvider, p.TracerProvider())) {
		c.flushers = append(c.flushers, f)
	}
	c.flushers = uniqueFlushers(c.flushers)
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
	return len(c.flushers) > 0 || (c.pipeline != nil && c.pipeline.WantsExtension())
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

// sameFlusher compares flushers whose dynamic types may not be comparable.
func sameFlusher(a, b Flusher) bool { return sameValue(a, b) }

// sameValue reports a == b, and false for values that are not comparable.
func sameValue(a, b any) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}
