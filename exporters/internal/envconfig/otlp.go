package envconfig

import (
	"errors"
	"fmt"
	"strings"
)

// The OTLP protocols, as OTEL_EXPORTER_OTLP_PROTOCOL spells them.
const (
	ProtocolHTTP = "http/protobuf"
	ProtocolGRPC = "grpc"
)

// EnvOTLPProtocol is the OTLP protocol of every signal without a protocol
// of its own (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL and the like).
const EnvOTLPProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL"

// ErrInvalidProtocol reports an OTLP protocol other than http/protobuf and
// grpc.
var ErrInvalidProtocol = errors.New("invalid OTLP protocol, want http/protobuf or grpc")

// OTLPProtocolVar returns the variable holding the OTLP protocol of signal
// ("traces", "metrics" or "logs"): OTEL_EXPORTER_OTLP_TRACES_PROTOCOL and
// the like.
func OTLPProtocolVar(signal string) string {
	return "OTEL_EXPORTER_OTLP_" + strings.ToUpper(signal) + "_PROTOCOL"
}

// OTLPProtocol returns the OTLP protocol of signal as the OpenTelemetry
// specification chooses it: the signal's own variable, else
// OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf. A value other than
// [ProtocolHTTP] and [ProtocolGRPC] is an error that names its variable and
// wraps [ErrInvalidProtocol].
func OTLPProtocol(getenv func(string) string, signal string) (string, error) {
	name := OTLPProtocolVar(signal)
	v := getenv(name)
	if v == "" {
		name, v = EnvOTLPProtocol, getenv(EnvOTLPProtocol)
	}
	switch v {
	case "":
		return ProtocolHTTP, nil
	case ProtocolHTTP, ProtocolGRPC:
		return v, nil
	}
	return "", fmt.Errorf("%s=%q: %w", name, v, ErrInvalidProtocol)
}
