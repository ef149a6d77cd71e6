package otlp

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/lumen-rt/lumen/exporters"
)

// Name is the default name of every exporter of this package: the name
// its drops are counted under and its Name method returns.
const Name = "otlp"

// Defaults.
const (
	// DefaultEndpoint is the OTLP/HTTP receiver's default base URL.
	DefaultEndpoint = "http://localhost:4318"
	// DefaultTimeout bounds each request, as OTEL_EXPORTER_OTLP_TIMEOUT's
	// default does.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxRecords is the log records a log exporter holds at most.
	DefaultMaxRecords = 2048
	// DefaultMaxBytes is the encoded size of the log records a log
	// exporter holds at most.
	DefaultMaxBytes = 1 << 20
)

// ErrInvalidConfig is wrapped by the errors of the constructors.
var ErrInvalidConfig = errors.New("otlp: invalid configuration")

// Compression is the compression of request bodies.
type Compression string

// The compressions, as OTEL_EXPORTER_OTLP_COMPRESSION spells them.
const (
	CompressionNone Compression = "none"
	CompressionGzip Compression = "gzip"
)

// ParseCompression parses "gzip" or "none" (or ""), case-insensitively.
func ParseCompression(s string) (Compression, error) {
	switch Compression(strings.ToLower(strings.TrimSpace(s))) {
	case "", CompressionNone:
		return CompressionNone, nil
	case CompressionGzip:
		return CompressionGzip, nil
	}
	return "", fmt.Errorf("%w: compression %q, want gzip or none", ErrInvalidConfig, s)
}

// The signal paths appended to a base URL.
const (
	pathTraces  = "/v1/traces"
	pathMetrics = "/v1/metrics"
	pathLogs    = "/v1/logs"
)

type config struct {
	endpoint    string
	signalURL   string
	headers     map[string]string
	compression Compression
	timeout     time.Duration
	timeoutSet  bool
	client      *http.Client
	resource    *resource.Resource
	drops       exporters.DropCounter
	name        string
	temporality Temporality
	maxRecords  int
	maxBytes    int
}

// newConfig applies opts to the defaults.
func newConfig(opts []Option) config {
	c := config{
		endpoint:    DefaultEndpoint,
		compression: CompressionNone,
		name:        Name,
		temporality: TemporalityCumulative,
		maxRecords:  DefaultMaxRecords,
		maxBytes:    DefaultMaxBytes,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if !c.timeoutSet {
		c.timeout = DefaultTimeout
	}
	return c
}

// url returns the URL the exporter of the signal whose path is path posts
// to: the signal URL as is, else the base URL with path appended.
func (c *config) url(path string) (*url.URL, error) {
	raw := c.signalURL
	if raw == "" {
		raw = strings.TrimSuffix(c.endpoint, "/") + path
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: endpoint: %w", ErrInvalidConfig, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: endpoint %q: want http(s)://host[:port][/path]", ErrInvalidConfig, raw)
	}
	return u, nil
}

// httpClient returns the configured client, or the shared default one.
func (c *config) httpClient() *http.Client {
	if c.client != nil {
		return c.client
	}
	return sharedClient()
}

// sharedClient is the client every exporter without [WithHTTPClient] uses:
// one transport, so the signals share its kept-alive connections.
var sharedClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
		// Room for the headers and a flush's body (a function's metrics
		// are some 10 KiB): one write per request.
		WriteBufferSize: 64 << 10,
	}}
})
