package remotewrite

import (
	"net/http"
	"os"
	"time"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

// Environment variables read by [New]. Options override them.
const (
	EnvURL         = envPrefix + "URL"
	EnvJob         = envPrefix + "JOB"
	EnvInstance    = envconfig.EnvInstance
	EnvLabels      = envPrefix + "LABELS"
	EnvUsername    = envPrefix + envconfig.SuffixUsername
	EnvPassword    = envPrefix + envconfig.SuffixPassword
	EnvBearerToken = envPrefix + envconfig.SuffixBearerToken
	EnvHeaders     = envPrefix + envconfig.SuffixHeaders
)

const envPrefix = "LUMEN_REMOTE_WRITE_"

// Defaults.
const (
	// DefaultJob is the job label when neither an option,
	// LUMEN_REMOTE_WRITE_JOB nor AWS_LAMBDA_FUNCTION_NAME names one.
	DefaultJob = envconfig.DefaultJob
	// DefaultRetries is how often a retryable failure is retried.
	DefaultRetries = 2
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between retries.
	DefaultMinBackoff = 10 * time.Millisecond
	DefaultMaxBackoff = 100 * time.Millisecond
)

// config is what the options build.
type config struct {
	url, job, instance     string
	labels                 map[string]string
	http                   envconfig.HTTP
	client                 *http.Client
	drops                  exporters.DropCounter
	retries                int
	minBackoff, maxBackoff time.Duration
	noStale                bool
	now                    func() time.Time
}

// Option configures an [Exporter].
type Option interface {
	apply(config) config
}

type optionFunc func(config) config

func (f optionFunc) apply(c config) config { return f(c) }

// WithURL sets the remote write endpoint, the full URL including its path
// (for Prometheus: http://host:9090/api/v1/write). It overrides
// LUMEN_REMOTE_WRITE_URL. A URL is required.
func WithURL(url string) Option {
	return optionFunc(func(c config) config { c.url = url; return c })
}

// WithJob sets the job label of every series. It overrides
// LUMEN_REMOTE_WRITE_JOB; the default is AWS_LAMBDA_FUNCTION_NAME, else
// [DefaultJob].
func WithJob(job string) Option {
	return optionFunc(func(c config) config { c.job = job; return c })
}

// WithInstance sets the instance label of every series, the execution
// environment's id. It overrides LUMEN_METRICS_INSTANCE; the default is
// derived from AWS_LAMBDA_LOG_STREAM_NAME or drawn at random (see the
// package documentation). Two environments must never share an instance.
func WithInstance(instance string) Option {
	return optionFunc(func(c config) config { c.instance = instance; return c })
}

// WithLabel adds a label to every series, replacing one of the same name
// from LUMEN_REMOTE_WRITE_LABELS. The names "job" and "instance" are set
// with [WithJob] and [WithInstance] instead.
func WithLabel(name, value string) Option {
	return optionFunc(func(c config) config {
		c.labels = envconfig.Merge(c.labels, map[string]string{name: value})
		return c
	})
}

// WithBasicAuth sends HTTP basic authentication with every request. It
// overrides LUMEN_REMOTE_WRITE_USERNAME and LUMEN_REMOTE_WRITE_PASSWORD.
func WithBasicAuth(username, password string) Option {
	return optionFunc(func(c config) config {
		c.http.Username, c.http.Password, c.http.BasicAuth = username, password, true
		return c
	})
}

// WithBearerToken sends "Authorization: Bearer <token>" with every request.
// It overrides LUMEN_REMOTE_WRITE_BEARER_TOKEN. Basic auth, when also set,
// takes the Authorization header instead.
func WithBearerToken(token string) Option {
	return optionFunc(func(c config) config { c.http.BearerToken = token; return c })
}

// WithHeaders adds headers to every request (for example X-Scope-OrgID),
// replacing those of the same name from LUMEN_REMOTE_WRITE_HEADERS.
func WithHeaders(headers map[string]string) Option {
	return optionFunc(func(c config) config {
		c.http.Headers = envconfig.Merge(c.http.Headers, headers)
		return c
	})
}

// WithHTTPClient sets the client requests go through, for example one with
// TLS settings; its Transport (or http.DefaultTransport) is wrapped to add
// headers and credentials. The default is a client of the exporter's own,
// whose idle connections [Exporter.Shutdown] closes. Requests carry the
// caller's context, so the client needs no timeout of its own.
func WithHTTPClient(client *http.Client) Option {
	return optionFunc(func(c config) config { c.client = client; return c })
}

// WithDropCounter reports, for every write that fails, the number of series
// it carried.
func WithDropCounter(d exporters.DropCounter) Option {
	return optionFunc(func(c config) config { c.drops = d; return c })
}

// WithRetries sets how often a retryable failure (network error, 5xx, 429)
// is retried, at least once, and the bounds of the jittered exponential
// backoff between tries. Retries never outlast the caller's context.
// Defaults: [DefaultRetries], [DefaultMinBackoff], [DefaultMaxBackoff].
func WithRetries(retries int, minBackoff, maxBackoff time.Duration) Option {
	return optionFunc(func(c config) config {
		c.retries, c.minBackoff, c.maxBackoff = retries, minBackoff, maxBackoff
		return c
	})
}

// WithoutStaleMarkers makes [Exporter.Shutdown] send the final values only,
// without ending the series with staleness markers.
func WithoutStaleMarkers() Option {
	return optionFunc(func(c config) config { c.noStale = true; return c })
}

// withClock replaces time.Now, for tests.
func withClock(now func() time.Time) Option {
	return optionFunc(func(c config) config { c.now = now; return c })
}

// envOption makes newConfig read the environment through a function
// instead of os.Getenv: the registered factory passes the environment as
// the telemetry package read it.
type envOption func(string) string

func (envOption) apply(c config) config { return c }

func withEnv(getenv func(string) string) Option {
	if getenv == nil {
		return envOption(func(string) string { return "" })
	}
	return envOption(getenv)
}

// newConfig applies env, then opts, over the defaults.
func newConfig(opts []Option) (config, error) {
	getenv := os.Getenv
	for _, o := range opts {
		if e, ok := o.(envOption); ok {
			getenv = e
		}
	}
	c, err := envConfig(getenv)
	if err != nil {
		return config{}, err
	}
	c.retries, c.minBackoff, c.maxBackoff = DefaultRetries, DefaultMinBackoff, DefaultMaxBackoff
	c.now = time.Now
	for _, o := range opts {
		c = o.apply(c)
	}
	c.job = envconfig.Job(getenv, c.job)
	if c.instance == "" {
		c.instance = envconfig.Instance(getenv)
	}
	return c, c.validate()
}
