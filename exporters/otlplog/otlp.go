package otlplog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
)

var (
	// ErrUnsupportedExporter reports an OTEL_LOGS_EXPORTER that names
	// neither otlp nor none, when [New] is given no exporter. Records for
	// stdout come from the logging package's handler instead.
	ErrUnsupportedExporter = errors.New("otlplog: OTEL_LOGS_EXPORTER names no exporter this package builds (otlp, none)")
	// ErrInvalidProtocol reports an OTLP protocol other than http/protobuf
	// and grpc in OTEL_EXPORTER_OTLP_LOGS_PROTOCOL or
	// OTEL_EXPORTER_OTLP_PROTOCOL.
	ErrInvalidProtocol = envconfig.ErrInvalidProtocol
)

// exporterFromEnv builds the exporter OTEL_LOGS_EXPORTER asks for: OTLP
// when it is unset or lists otlp, none (nil, true) when it lists none only.
func exporterFromEnv(ctx context.Context) (exp sdklog.Exporter, none bool, err error) {
	v := os.Getenv(EnvLogsExporter)
	otlp, onlyNone := strings.TrimSpace(v) == "", true
	for name := range strings.SplitSeq(v, ",") {
		switch strings.TrimSpace(name) {
		case "otlp":
			otlp = true
		case "none", "":
		default:
			onlyNone = false
		}
	}
	switch {
	case otlp:
		exp, err = NewOTLPExporter(ctx)
		return exp, false, err
	case onlyNone:
		return nil, true, nil
	}
	return nil, false, fmt.Errorf("%s=%q: %w", EnvLogsExporter, v, ErrUnsupportedExporter)
}

// NewOTLPExporter builds the OTLP log exporter of the protocol
// OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, names
// (default http/protobuf): otlploghttp or otlploggrpc, which read the other
// OTEL_EXPORTER_OTLP_* variables themselves. It does no network I/O. [New]
// uses it unless OTEL_LOGS_EXPORTER or [WithExporter] says otherwise; give
// it to WithExporter to export OTLP whatever OTEL_LOGS_EXPORTER says.
func NewOTLPExporter(ctx context.Context) (sdklog.Exporter, error) {
	proto, err := envconfig.OTLPProtocol(os.Getenv, exporters.SignalLogs)
	if err != nil {
		return nil, fmt.Errorf("otlplog: %w", err)
	}
	var exp sdklog.Exporter
	if proto == envconfig.ProtocolGRPC {
		exp, err = otlploggrpc.New(ctx)
	} else {
		exp, err = otlploghttp.New(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("otlplog: otlp %s exporter: %w", proto, err)
	}
	return exp, nil
}
