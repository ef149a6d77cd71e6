package exporters

import "time"

// The OTLP protocols, as OTEL_EXPORTER_OTLP_PROTOCOL spells them.
const (
	ProtocolHTTPProtobuf = "http/protobuf"
	ProtocolHTTPJSON     = "http/json"
	ProtocolGRPC         = "grpc"
)

// OTLPSettings are one signal's OTLP exporter settings, as the
// OTEL_EXPORTER_OTLP_* variables give them: the signal-specific variable
// when set, else the generic one, else the specification's default. The
// telemetry package reads them; OTLP exporters take them as they are.
type OTLPSettings struct {
	// Endpoint is the URL to send to; empty when no variable names one.
	Endpoint string
	// SignalURL is true when Endpoint came from the signal-specific
	// variable and is the full URL to POST to; when false, Endpoint is the
	// base URL to which /v1/traces, /v1/metrics or /v1/logs is appended.
	SignalURL bool
	// Protocol is http/protobuf (the default) or grpc.
	Protocol string
	// Headers are sent with every request (OTEL_EXPORTER_OTLP_HEADERS).
	Headers map[string]string
	// Compression is "gzip" or "" for none.
	Compression string
	// Timeout bounds one export request; 0 means the default, 10 s. The
	// flush budget bounds it further.
	Timeout time.Duration
	// Temporality is the metrics temporality preference: cumulative,
	// delta or lowmemory. Metrics only.
	Temporality string
}

// Configured reports whether a variable named an endpoint for the signal.
func (s OTLPSettings) Configured() bool { return s.Endpoint != "" }

// Queue bounds what a signal buffers between flushes (OTEL_BSP_* for spans,
// OTEL_BLRP_* for log records): at most MaxSize items, sent in requests of
// at most MaxExportBatch. Zero leaves the exporter's default.
type Queue struct {
	MaxSize, MaxExportBatch int
}
