package otlpgrpc

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

// Name is the name the exporters are registered under, and the exporter
// name the span exporter's drops are counted under.
const Name = "otlp"

// The OTLP protocols, as OTEL_EXPORTER_OTLP_PROTOCOL spells them.
const (
	ProtocolHTTP = envconfig.ProtocolHTTP
	ProtocolGRPC = envconfig.ProtocolGRPC
)

// Environment variables that choose the protocol of the span exporter.
const (
	EnvProtocol       = envconfig.EnvOTLPProtocol
	EnvTracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
)

// ErrInvalidProtocol reports an OTLP protocol other than http/protobuf and
// grpc. The errors of every signal's exporter wrap it, and name the
// variable that holds the value.
var ErrInvalidProtocol = envconfig.ErrInvalidProtocol

// NewSpanExporter builds the OTLP span exporter of the protocol
// OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL,
// names (default http/protobuf): otlptracegrpc, which reads the other
// OTEL_EXPORTER_OTLP_* variables itself, or Lumen's built-in exporters/otlp
// exporter configured from them. It does no network I/O. The gRPC exporter
// does not count drops: wrap it with traces.Counting, as the registered
// factory does; the HTTP one counts them in drops.
func NewSpanExporter(ctx context.Context, drops exporters.DropCounter) (sdktrace.SpanExporter, error) {
	proto, err := envconfig.OTLPProtocol(os.Getenv, exporters.SignalTraces)
	if err != nil {
		return nil, fmt.Errorf("otlp: %w", err)
	}
	if proto == ProtocolHTTP {
		return newHTTPSpanExporter(drops)
	}
	exp, err := otlptracegrpc.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("otlp: %s span exporter: %w", proto, err)
	}
	return exp, nil
}
