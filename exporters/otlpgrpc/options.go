package otlpgrpc

import (
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"google.golang.org/grpc"

	"github.com/lumen-rt/lumen/exporters"
)

// clientOptions turns one signal's OTLP settings into the options of that
// signal's OpenTelemetry gRPC exporter. The three exporters take the same
// settings through option types of their own; O is one of them.
type clientOptions[O any] struct {
	noRetry    O
	dial       func(...grpc.DialOption) O
	endpoint   func(string) O
	headers    func(map[string]string) O
	compressor func(string) O
	timeout    func(time.Duration) O
}

// from is the options for s: no retries inside a flush (the runtime's
// flush point retries a failing exporter in the background, never
// spending the loop's budget on it), gRPC's reconnections paced as the
// flush point's retries, then what s sets.
func (c clientOptions[O]) from(s exporters.OTLPSettings) []O {
	opts := []O{c.noRetry, c.dial(reconnect)}
	if s.Endpoint != "" {
		opts = append(opts, c.endpoint(s.Endpoint))
	}
	if len(s.Headers) > 0 {
		opts = append(opts, c.headers(s.Headers))
	}
	if s.Compression == "gzip" {
		opts = append(opts, c.compressor("gzip"))
	}
	if s.Timeout > 0 {
		opts = append(opts, c.timeout(s.Timeout))
	}
	return opts
}

var (
	traceOptions = clientOptions[otlptracegrpc.Option]{
		noRetry: otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}),
		dial:    otlptracegrpc.WithDialOption, endpoint: otlptracegrpc.WithEndpointURL,
		headers: otlptracegrpc.WithHeaders, compressor: otlptracegrpc.WithCompressor, timeout: otlptracegrpc.WithTimeout,
	}
	metricOptions = clientOptions[otlpmetricgrpc.Option]{
		noRetry: otlpmetricgrpc.WithRetry(otlpmetricgrpc.RetryConfig{Enabled: false}),
		dial:    otlpmetricgrpc.WithDialOption, endpoint: otlpmetricgrpc.WithEndpointURL,
		headers: otlpmetricgrpc.WithHeaders, compressor: otlpmetricgrpc.WithCompressor, timeout: otlpmetricgrpc.WithTimeout,
	}
	logOptions = clientOptions[otlploggrpc.Option]{
		noRetry: otlploggrpc.WithRetry(otlploggrpc.RetryConfig{Enabled: false}),
		dial:    otlploggrpc.WithDialOption, endpoint: otlploggrpc.WithEndpointURL,
		headers: otlploggrpc.WithHeaders, compressor: otlploggrpc.WithCompressor, timeout: otlploggrpc.WithTimeout,
	}
)
