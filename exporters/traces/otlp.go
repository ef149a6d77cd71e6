package traces

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// OTLPProtocol returns the OTLP protocol for traces as autoexport chooses
// it: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL,
// else http/protobuf. It does not validate the value.
func OTLPProtocol() (value, envVar string) {
	if v := os.Getenv(EnvOTLPTraceProtocol); v != "" {
		return v, EnvOTLPTraceProtocol
	}
	if v := os.Getenv(EnvOTLPProtocol); v != "" {
		return v, EnvOTLPProtocol
	}
	return ProtocolHTTP, "default"
}

// newOTLP builds the OTLP exporter for the configured protocol. The
// exporter reads the remaining OTEL_EXPORTER_OTLP_* variables itself.
func newOTLP(ctx context.Context) (sdktrace.SpanExporter, error) {
	proto, from := OTLPProtocol()
	var (
		exp sdktrace.SpanExporter
		err error
	)
	switch proto {
	case ProtocolHTTP:
		exp, err = otlptracehttp.New(ctx)
	case ProtocolGRPC:
		exp, err = newGRPC(ctx)
	default:
		return nil, &ConfigError{Var: from, Value: proto, Err: ErrInvalidProtocol}
	}
	if err != nil {
		return nil, fmt.Errorf("traces: otlp %s exporter: %w", proto, err)
	}
	return exp, nil
}
