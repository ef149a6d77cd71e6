package pushgateway

import (
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus/push"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

// Environment variables read by [New]. Options override them.
const (
	EnvURL         = envPrefix + "URL"
	EnvJob         = envPrefix + "JOB"
	EnvInstance    = envconfig.EnvInstance
	EnvGrouping    = envPrefix + "GROUPING"
	EnvUsername    = envPrefix + envconfig.SuffixUsername
	EnvPassword    = envPrefix + envconfig.SuffixPassword
	EnvBearerToken = envPrefix + envconfig.SuffixBearerToken
	EnvHeaders     = envPrefix + envconfig.SuffixHeaders
)

const envPrefix = "LUMEN_PUSHGATEWAY_"

// DefaultJob is the job label when neither an option, LUMEN_PUSHGATEWAY_JOB
// nor AWS_LAMBDA_FUNCTION_NAME names one.
const DefaultJob = envconfig.DefaultJob

// config is what the options build.
type config struct {
	url, job, instance string
	grouping           map[string]string
	http               envconfig.HTTP
	client             push.HTTPDoer
	drops              exporters.DropCounter
	ownClient          bool
	keepGroup          bool
}

// Option configures an [Exporter].
type Option interface {
	apply(config) config
}

type optionFunc func(config) config

func (f optionFunc) apply(c config) config { return f(c) }

// WithURL sets the Pushgateway's base URL (scheme, host, port and an
// optional path prefix, without /metrics/...). It overrides
// LUMEN_PUSHGATEWAY_URL. A URL is required.
func WithURL(url string) Option {
	return optionFunc(func(c config) config { c.url = url; return c })
}

// WithJob sets the job label of the grouping key. It overrides
// LUMEN_PUSHGATEWAY_JOB; the default is AWS_LAMBDA_FUNCTION_NAME, else
// [DefaultJob].
func WithJob(job string) Option {
	return optionFunc(func(c config) config { c.job = job; return c })
}

// WithInstance sets the instance label of the grouping key, the execution
// environment's id. It overrides LUMEN_METRICS_INSTANCE; the default is
// derived from AWS_LAMBDA_LOG_STREAM_NAME or drawn at random (see the package
// documentation). Two environments must never share an instance.
func WithInstance(instance string) Option {
	return optionFunc(func(c config) config { c.instance = instance; return c })
}

// WithGrouping adds a label to the grouping key, replacing one of the same
// name from LUMEN_PUSHGATEWAY_GROUPING. The pushed metrics must not carry
// that label themselves. The names "job" and "instance" are set with
// [WithJob] and [WithInstance] instead.
func WithGrouping(name, value string) Option {
	return optionFunc(func(c config) config {
		c.grouping = envconfig.Merge(c.grouping, map[string]string{name: value})
		return c
	})
}

// WithBasicAuth sends HTTP basic authentication with every request. It
// overrides LUMEN_PUSHGATEWAY_USERNAME and LUMEN_PUSHGATEWAY_PASSWORD.
func WithBasicAuth(username, password string) Option {
	return optionFunc(func(c config) config {
		c.http.Username, c.http.Password, c.http.BasicAuth = username, password, true
		return c
	})
}

// WithBearerToken sends "Authorization: Bearer <token>" with every request.
// It overrides LUMEN_PUSHGATEWAY_BEARER_TOKEN. Basic auth, when also set,
// takes the Authorization header instead.
func WithBearerToken(token string) Option {
	return optionFunc(func(c config) config { c.http.BearerToken = token; return c })
}

// WithHeaders adds headers to every request, replacing those of the same
// name from LUMEN_PUSHGATEWAY_HEADERS.
func WithHeaders(headers map[string]string) Option {
	return optionFunc(func(c config) config {
		c.http.Headers = envconfig.Merge(c.http.Headers, headers)
		return c
	})
}

// WithHTTPClient sets the client requests go through, such as an
// *http.Client with TLS settings. The default is a new *http.Client whose
// idle connections are closed by [Exporter.Shutdown]. Every request carries
// the caller's context, so the client needs no timeout of its own.
func WithHTTPClient(client push.HTTPDoer) Option {
	return optionFunc(func(c config) config { c.client = client; return c })
}

// WithDropCounter reports, for every push that fails, the number of series
// (samples as Prometheus would store them) the push carried.
func WithDropCounter(d exporters.DropCounter) Option {
	return optionFunc(func(c config) config { c.drops = d; return c })
}

// WithoutDeleteOnShutdown keeps the environment's group on the Pushgateway
// when the exporter shuts down.
func WithoutDeleteOnShutdown() Option {
	return optionFunc(func(c config) config { c.keepGroup = true; return c })
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
	for _, o := range opts {
		c = o.apply(c)
	}
	c.job = envconfig.Job(getenv, c.job)
	if c.instance == "" {
		c.instance = envconfig.Instance(getenv)
	}
	if c.client == nil {
		c.client, c.ownClient = &http.Client{}, true
	}
	return c, c.validate()
}
