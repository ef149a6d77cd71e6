package otlpmetric

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

// The OTLP protocols [WithProtocol] takes.
const (
	ProtocolHTTP = envconfig.ProtocolHTTP
	ProtocolGRPC = envconfig.ProtocolGRPC
)

// ErrInvalidProtocol is wrapped, together with [ErrInvalidConfig], by the
// error of [New] for an OTLP protocol other than http/protobuf and grpc.
var ErrInvalidProtocol = envconfig.ErrInvalidProtocol

// newExporter builds the default exporter for the configured protocol
// (http/protobuf unless [WithProtocol] says grpc). The SDK's OTLP exporters
// configure themselves from their options and their own defaults.
func (c config) newExporter(ctx context.Context) (sdkmetric.Exporter, error) {
	proto, err := c.protocol, error(nil)
	if proto == "" {
		proto = ProtocolHTTP
	}
	var exp sdkmetric.Exporter
	switch proto {
	case ProtocolHTTP:
		exp, err = otlpmetrichttp.New(ctx, append([]otlpmetrichttp.Option{otlpmetrichttp.WithRetry(DefaultRetry)}, c.httpOptions...)...)
	case ProtocolGRPC:
		exp, err = otlpmetricgrpc.New(ctx, append([]otlpmetricgrpc.Option{otlpmetricgrpc.WithRetry(otlpmetricgrpc.RetryConfig(DefaultRetry))}, c.grpcOptions...)...)
	default:
		return nil, fmt.Errorf("%w: protocol option %q: %w", ErrInvalidConfig, proto, ErrInvalidProtocol)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: otlp %s exporter: %w", ErrInvalidConfig, proto, err)
	}
	return exp, nil
}
