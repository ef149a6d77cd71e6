package otlp

import (
	"maps"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters"
)

// Option configures an exporter of this package. Options that do not apply
// to an exporter (the temporality to a span exporter, for example) are
// ignored by it. Only this package can implement Option.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithEndpoint sets the base URL of the OTLP/HTTP receiver, as
// OTEL_EXPORTER_OTLP_ENDPOINT gives it: each signal posts to the base URL
// with /v1/traces, /v1/metrics or /v1/logs appended
// ("http://collector:4318" → "http://collector:4318/v1/traces").
// [WithSignalURL] takes precedence. Default: [DefaultEndpoint].
func WithEndpoint(baseURL string) Option {
	return optionFunc(func(c *config) { c.endpoint = baseURL })
}

// WithSignalURL sets the full URL the exporter posts to, used as is, as
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (and the METRICS and LOGS variables)
// give it. It takes precedence over [WithEndpoint].
func WithSignalURL(url string) Option {
	return optionFunc(func(c *config) { c.signalURL = url })
}

// WithHeaders adds headers to every request (OTEL_EXPORTER_OTLP_HEADERS);
// later calls add to earlier ones. The exporter's own Content-Type and
// Content-Encoding cannot be replaced.
func WithHeaders(headers map[string]string) Option {
	return optionFunc(func(c *config) {
		if c.headers == nil {
			c.headers = make(map[string]string, len(headers))
		}
		maps.Copy(c.headers, headers)
	})
}

// WithCompression sets the compression of request bodies
// (OTEL_EXPORTER_OTLP_COMPRESSION). Default: [CompressionNone].
func WithCompression(comp Compression) Option {
	return optionFunc(func(c *config) { c.compression = comp })
}

// WithTimeout bounds each request (OTEL_EXPORTER_OTLP_TIMEOUT); the
// caller's context bounds it too. Values below 1 mean no bound other than
// the context. Default: [DefaultTimeout].
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.timeout = d; c.timeoutSet = true })
}

// WithHTTPClient sends the requests through client, for TLS settings or a
// proxy of its own. Default: one client shared by every exporter of this
// package, which keeps its connections alive between flushes.
func WithHTTPClient(client *http.Client) Option {
	return optionFunc(func(c *config) { c.client = client })
}

// WithResource sets the resource of the metrics and log records (spans
// carry their own, from their TracerProvider). Give every exporter the
// same one. Default: the empty resource.
func WithResource(res *resource.Resource) Option {
	return optionFunc(func(c *config) { c.resource = res })
}

// WithDropCounter counts, under the exporter's name and signal, every item
// the exporter could not deliver, and every failed export. Default: none
// (the errors are still returned).
func WithDropCounter(d exporters.DropCounter) Option {
	return optionFunc(func(c *config) { c.drops = d })
}

// WithName sets the name the exporter reports its drops under and returns
// from Name. Default: [Name].
func WithName(name string) Option {
	return optionFunc(func(c *config) {
		if name != "" {
			c.name = name
		}
	})
}

// WithTemporality sets the aggregation temporality of a metric exporter's
// counters and histograms (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).
// Default: [TemporalityCumulative].
func WithTemporality(t Temporality) Option {
	return optionFunc(func(c *config) { c.temporality = t })
}

// WithMaxRecords bounds the log records a log exporter holds between
// flushes; a record beyond it is dropped and counted. Values below 1 are
// ignored. Default: [DefaultMaxRecords].
func WithMaxRecords(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxRecords = n
		}
	})
}

// WithMaxBytes bounds the encoded size of the log records a log exporter
// holds between flushes, and so the size of its requests before
// compression; a record beyond it is dropped and counted. Values below 1
// are ignored. Default: [DefaultMaxBytes].
func WithMaxBytes(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxBytes = n
		}
	})
}
